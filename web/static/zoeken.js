// Zoeken: show new results without a full page reload. The page works without this file.
(function () {
  "use strict";
  var form = document.getElementById("zoekformulier");
  var results = document.getElementById("resultaten");
  if (!form || !results || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var timer = null;
  var latest = 0;

  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    var url = form.getAttribute("action") + "?" + params.toString();
    var ticket = ++latest;
    results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (ticket !== latest) {
          return;
        }
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("resultaten");
        if (fresh) {
          results.replaceChildren.apply(results, Array.from(fresh.childNodes));
          window.history.replaceState(null, "", url);
          var heading = document.getElementById("resultaten-kop");
          var status = document.getElementById("zoek-status");
          if (heading && status) {
            status.textContent = heading.textContent.trim();
          }
        }
      })
      .catch(function () { /* the submit button still works */ })
      .then(function () { results.removeAttribute("aria-busy"); });
  }

  form.addEventListener("change", function (event) {
    if (event.target && event.target.type === "checkbox") {
      refresh();
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target && event.target.id === "q") {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    }
  });
})();
