// Netwerk: draw the network picture with the vendored vis-network from the page's data
// address. Without JavaScript the page still lists every partner and team as text.
(function () {
  "use strict";
  var box = document.getElementById("netwerk");
  var status = document.getElementById("netwerk-status");
  if (!box || !window.vis || !window.fetch) {
    return;
  }
  status.textContent = "Netwerkplaat wordt geladen…";
  fetch(box.getAttribute("data-bron"), { headers: { "Accept": "application/json" },
                                          credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    })
    .then(function (data) {
      box.hidden = false;
      var nodes = new window.vis.DataSet(data.nodes);
      var network = new window.vis.Network(box, {
        nodes: nodes,
        edges: new window.vis.DataSet(data.edges)
      }, data.options);
      network.once("stabilizationIterationsDone", function () {
        status.textContent = "Netwerkplaat geladen: " + data.shown + " knopen.";
      });
      network.on("doubleClick", function (event) {
        var node = event.nodes.length ? nodes.get(event.nodes[0]) : null;
        if (node && String(node.group).indexOf("partner") === 0) {
          window.location.href = "/organisaties/" + encodeURIComponent(node.id);
        } else if (node && (node.group === "teamlid" || node.group === "contactpersoon")) {
          window.location.href = "/personen/" + encodeURIComponent(node.id);
        }
      });
    })
    .catch(function () {
      status.textContent = "De netwerkplaat kon niet worden geladen; de lijsten hieronder " +
        "tonen hetzelfde netwerk.";
    });
}());
