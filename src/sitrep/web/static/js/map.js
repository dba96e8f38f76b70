// The map page: an offline basemap, the filtered events as icons (clustered when dense, each
// with its uncertainty radius), a time window, and the event card. Progressive enhancement:
// without this script the page still lists the events and its form still filters them.
import { Map, NavigationControl, ScaleControl } from "/static/vendor/maplibre-gl/maplibre-gl.mjs";
import { showCard } from "./card.js";
import { h, plural } from "./dom.js";
import { clusterIcon, eventIcon } from "./icons.js";
import { placeLabels } from "./labels.js";
import { TimeWindow } from "./slider.js";

const BASEMAP = "/static/vendor/basemap";
const KM_PER_PIXEL_Z0 = 40075.016686 / 512;  // at the equator, zoom 0, 512-pixel tiles
const LIST_MAX = 200;

const container = document.getElementById("map");
const form = document.getElementById("filters");
const card = document.getElementById("card");
const list = document.getElementById("event-list");
const count = document.getElementById("count");
const status = document.getElementById("map-status");
const types = [...document.querySelectorAll("#legend [data-type]")].map((li, i) => ({
  type: li.dataset.type, color: li.dataset.color, shape: li.dataset.shape, index: i,
}));

let all = [];  // the features the server filter returned; the time window picks among them
let fitted = false;

const map = new Map({
  container,
  style: basemapStyle(),
  center: [38, 35],
  zoom: 4,
  attributionControl: { compact: true, customAttribution: "Natural Earth · GeoNames" },
  cooperativeGestures: false,
});
container.maplibre = map;  // for the browser tests and the console
map.addControl(new NavigationControl({ showCompass: false }));
map.addControl(new ScaleControl());
container.dataset.state = "loading";

const labels = document.getElementById("map-labels");
container.append(labels);
const time = new TimeWindow(form, () => redraw());

map.on("styleimagemissing", (e) => {
  const match = /^cluster-(\d+)$/.exec(e.id);
  if (match) {
    const { image, options } = clusterIcon(match[1]);
    map.addImage(e.id, image, options);
  }
});

map.on("load", async () => {
  for (const t of types) {
    for (const disputed of [false, true]) {
      const { image, options } = eventIcon(t.color, t.shape, disputed);
      map.addImage(`type-${t.index}${disputed ? "-d" : ""}`, image, options);
    }
  }
  addEventLayers();
  placeLabels(map, labels);
  await load();
});

function basemapStyle() {
  return {
    version: 8,
    sources: {
      countries: { type: "geojson", data: `${BASEMAP}/countries.geojson` },
      boundaries: { type: "geojson", data: `${BASEMAP}/boundaries.geojson` },
      admin1: { type: "geojson", data: `${BASEMAP}/admin1-lines.geojson` },
    },
    layers: [
      { id: "water", type: "background", paint: { "background-color": "#d7e6f2" } },
      { id: "land", type: "fill", source: "countries", paint: { "fill-color": "#f4f1ea" } },
      {
        id: "coast", type: "line", source: "boundaries", filter: ["==", ["get", "kind"], "coast"],
        paint: { "line-color": "#8fb0c9", "line-width": 0.8 },
      },
      {
        // province borders: fainter, finer and dotted, so country borders still stand out
        id: "admin1", type: "line", source: "admin1", minzoom: 4,
        paint: { "line-color": "#a9a9a9", "line-width": ["interpolate", ["linear"], ["zoom"], 4, 0.4, 10, 1], "line-dasharray": [1, 2] },
      },
      {
        id: "borders", type: "line", source: "boundaries", filter: ["==", ["get", "kind"], "border"],
        paint: { "line-color": "#7a7a7a", "line-width": ["interpolate", ["linear"], ["zoom"], 2, 0.6, 8, 1.6], "line-dasharray": [3, 2] },
      },
    ],
  };
}

function addEventLayers() {
  map.addSource("events", {
    type: "geojson", data: collection([]), cluster: true, clusterRadius: 36, clusterMaxZoom: 8,
  });
  const single = ["!", ["has", "point_count"]];
  map.addLayer({
    id: "uncertainty", type: "circle", source: "events", filter: single,
    paint: {
      // the radius within which the event happened, in pixels at each zoom
      "circle-radius": ["interpolate", ["exponential", 2], ["zoom"], 0, ["get", "r0"], 20, ["*", ["get", "r0"], 1048576]],
      "circle-color": ["get", "color"], "circle-opacity": 0.12,
      "circle-stroke-color": ["get", "color"], "circle-stroke-width": 1, "circle-stroke-opacity": 0.5,
    },
  });
  map.addLayer({
    id: "clusters", type: "symbol", source: "events", filter: ["has", "point_count"],
    layout: { "icon-image": ["concat", "cluster-", ["to-string", ["get", "point_count"]]], "icon-allow-overlap": true },
  });
  map.addLayer({
    id: "icons", type: "symbol", source: "events", filter: single,
    layout: { "icon-image": ["get", "icon"], "icon-allow-overlap": true, "icon-ignore-placement": true },
  });
  map.on("click", "icons", (e) => showCard(card, e.features[0].properties.id));
  map.on("click", "clusters", async (e) => {
    const feature = e.features[0];
    const zoom = await map.getSource("events").getClusterExpansionZoom(feature.properties.cluster_id);
    map.easeTo({ center: feature.geometry.coordinates, zoom });
  });
  for (const layer of ["icons", "clusters"]) {
    map.on("mouseenter", layer, () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; });
  }
}

// Everything but the time window is filtered by the server; the window is applied here so
// that dragging the slider or playing it redraws at once.
function serverQuery() {
  const params = new URLSearchParams(new FormData(form));
  params.delete("since");
  params.delete("until");
  for (const [key, value] of [...params]) if (!value || (key === "min_confidence" && Number(value) === 0)) params.delete(key);
  return params;
}

async function load() {
  status.textContent = "Loading events…";
  const params = serverQuery();
  params.set("limit", "5000");
  const response = await fetch(`/api/v1/events.geojson?${params}`, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) {
    status.textContent = `The events could not be loaded (${response.status}).`;
    container.dataset.state = "error";
    return;
  }
  const data = await response.json();
  all = data.features.filter((f) => f.geometry).map(decorate);
  redraw();
  if (!fitted && all.length) fit();
}

function decorate(feature) {
  const p = feature.properties;
  const t = types.find((x) => x.type === p.event_type) || types[types.length - 1];
  const lat = feature.geometry.coordinates[1];
  const km = Math.max(Number(p.radius_km) || 1, 0.5);
  p.icon = `type-${t.index}${p.disputed ? "-d" : ""}`;
  p.color = t.color;
  p.r0 = km / (KM_PER_PIXEL_Z0 * Math.cos((lat * Math.PI) / 180));
  return feature;
}

function redraw() {
  const [since, until] = time.range;
  const shown = all.filter((f) => {
    const day = f.properties.date;
    if (!since && !until) return true;
    return day && (!since || day >= since) && (!until || day <= until);
  });
  const source = map.getSource("events");
  if (source) source.setData(collection(shown));
  renderList(shown);
  container.dataset.visible = String(shown.length);
  updateUrl(since, until);
  map.once("idle", () => { container.dataset.state = "ready"; });
}

function renderList(features) {
  count.textContent = `${features.length} on the map`;
  status.textContent = `${plural(features.length, "event")} shown.`;
  // Newest first; undated events (null dates) last, not first.
  const day = (f) => f.properties.date || "";
  const sorted = [...features].sort((a, b) => day(b).localeCompare(day(a)));
  list.replaceChildren(...sorted.slice(0, LIST_MAX).map(listItem));
  if (!features.length) list.replaceChildren(h("li", {}, "No events in this window."));
}

function listItem(f) {
  const p = f.properties;
  const where = p.location ? ` · ${p.location}` : "";
  return h("li", { "data-id": p.id },
    h("a", { href: `/events/${p.id}` }, `${p.date || "undated"} · ${p.event_type}${where}`),
    h("button", { type: "button", class: "show", onclick: () => focusEvent(f) }, "Show on map"),
    h("span", { class: "meta-line" },
      `${plural(p.confirmations || 0, "outlet")} · confidence ${Number(p.confidence || 0).toFixed(2)}`,
      p.disputed ? " · disputed" : ""));
}

function focusEvent(feature) {
  map.easeTo({ center: feature.geometry.coordinates, zoom: Math.max(map.getZoom(), 9) });
  showCard(card, feature.properties.id);
}

// Open on where most events are: a statement made in Moscow or Ankara should not zoom
// the map out to a continent. The theatre is what lies near the median event.
function fit() {
  const points = all.map((f) => f.geometry.coordinates);
  const [mx, my] = [median(points.map((p) => p[0])), median(points.map((p) => p[1]))];
  const near = points.filter(([x, y]) => Math.abs(x - mx) <= THEATRE_DEG && Math.abs(y - my) <= THEATRE_DEG);
  const shown = near.length * 2 >= points.length ? near : points;
  const xs = shown.map((p) => p[0]);
  const ys = shown.map((p) => p[1]);
  map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 40, maxZoom: 9, duration: 0 });
  fitted = true;
}

const THEATRE_DEG = 3;  // about 300 km either way

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function updateUrl(since, until) {
  const params = serverQuery();
  if (since) params.set("since", since);
  if (until) params.set("until", until);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function collection(features) {
  return { type: "FeatureCollection", features };
}

// The form filters in place rather than reloading the page.
form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
for (const field of form.querySelectorAll("select, input[type=checkbox], #f-conf")) {
  field.addEventListener("change", () => load());
}
const confidence = form.querySelector("#f-conf");
confidence.addEventListener("input", () => { form.querySelector("#f-conf-out").value = Number(confidence.value).toFixed(2); });
