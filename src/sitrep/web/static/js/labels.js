// Place labels as HTML over the map: the basemap has no glyph server, so rather than symbol
// text the largest places in view are placed as positioned elements, avoiding overlaps.
const MAX_LABELS = 30;

export async function placeLabels(map, layer) {
  const response = await fetch("/static/vendor/basemap/places.json");
  if (!response.ok) return;
  const { rows } = await response.json();  // [name, lon, lat, country, population], largest first
  let shown = [];
  const place = () => {
    for (const [node, lngLat] of shown) {
      const p = map.project(lngLat);
      node.style.transform = `translate(${Math.round(p.x)}px, ${Math.round(p.y)}px) translate(-50%, -130%)`;
    }
  };
  const choose = () => {
    const bounds = map.getBounds();
    const taken = [];
    const wanted = Math.min(MAX_LABELS, Math.round(map.getContainer().clientWidth / 30));
    const chosen = [];
    for (const [name, lon, lat, , population] of rows) {
      if (chosen.length >= wanted) break;
      if (!bounds.contains([lon, lat])) continue;
      const p = map.project([lon, lat]);
      const box = [p.x - name.length * 3.6, p.y - 22, p.x + name.length * 3.6, p.y];
      if (taken.some((t) => box[0] < t[2] && box[2] > t[0] && box[1] < t[3] && box[3] > t[1])) continue;
      taken.push(box);
      chosen.push([name, [lon, lat], population]);
    }
    layer.replaceChildren();
    shown = chosen.map(([name, lngLat, population]) => {
      const node = document.createElement("span");
      node.className = population >= 1000000 ? "place-label big" : "place-label";
      node.textContent = name;
      layer.append(node);
      return [node, lngLat];
    });
    place();
  };
  map.on("move", place);
  map.on("moveend", choose);
  choose();
}
