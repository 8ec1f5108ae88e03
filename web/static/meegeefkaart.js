// Meegeefkaart: a print button (without JavaScript the browser's own print works).
(function () {
  "use strict";
  var button = document.getElementById("print-knop");
  if (!button || !window.print) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
