// Kaart: the search results on a map (Leaflet, served by the app). The list is the page;
// the map only adds where things are. Results carry data-lat/data-lon; without a configured
// tile server (data-tiles-url) the markers stand on a plain background and nothing outside
// the app is requested. The page works without this file.
(function () {
  "use strict";
  var block = document.getElementById("kaart-blok");
  var element = document.getElementById("kaart");
  var results = document.getElementById("resultaten");
  if (!block || !element || !results || !window.L) {
    return;
  }
  var L = window.L;
  var map = null;
  var markers = null;

  function points() {
    var found = [];
    results.querySelectorAll(".card[data-lat][data-lon]").forEach(function (card) {
      var lat = parseFloat(card.getAttribute("data-lat"));
      var lon = parseFloat(card.getAttribute("data-lon"));
      var link = card.querySelector("h3 a");
      if (isFinite(lat) && isFinite(lon) && link) {
        found.push({ lat: lat, lon: lon, title: link.textContent.trim(),
                     href: link.getAttribute("href") });
      }
    });
    return found;
  }

  function popup(point) {
    var link = document.createElement("a");
    link.textContent = point.title;  // text, never HTML
    link.setAttribute("href", point.href);
    return link;
  }

  function makeMap() {
    map = L.map(element, { scrollWheelZoom: false, attributionControl: true });
    map.attributionControl.setPrefix(false);
    var tiles = element.getAttribute("data-tiles-url");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18,
                           attribution: element.getAttribute("data-tiles-attribution") || "" })
        .addTo(map);
    } else {
      element.classList.add("map-plain");
    }
    L.control.scale({ imperial: false }).addTo(map);
    markers = L.featureGroup().addTo(map);
  }

  function draw() {
    var found = points();
    if (!found.length) {
      block.hidden = true;
      return;
    }
    block.hidden = false;
    if (!map) {
      makeMap();
    }
    map.invalidateSize();
    markers.clearLayers();
    found.forEach(function (point) {
      L.marker([point.lat, point.lon], { title: point.title, alt: point.title,
                                         keyboard: true })
        .bindPopup(popup(point))
        .addTo(markers);
    });
    map.fitBounds(markers.getBounds(), { padding: [24, 24], maxZoom: 15 });
    element.setAttribute("data-markers", String(found.length));
  }

  draw();
  if (window.MutationObserver) {  // zoeken.js swaps the results in place
    new MutationObserver(draw).observe(results, { childList: true });
  }
})();
