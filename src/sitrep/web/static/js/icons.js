// Event icons drawn on a canvas (no sprite files, no network): a shape and colour per type,
// as in the page's legend; disputed events get a dark ring.
const SIZE = 22;

function path(ctx, shape, c, r) {
  ctx.beginPath();
  if (shape === "diamond") {
    ctx.moveTo(c, c - r); ctx.lineTo(c + r, c); ctx.lineTo(c, c + r); ctx.lineTo(c - r, c);
  } else if (shape === "triangle") {
    ctx.moveTo(c, c - r); ctx.lineTo(c + r, c + r * 0.8); ctx.lineTo(c - r, c + r * 0.8);
  } else if (shape === "square") {
    ctx.rect(c - r * 0.8, c - r * 0.8, r * 1.6, r * 1.6);
  } else if (shape === "star" || shape === "hexagon") {
    const points = shape === "star" ? 10 : 6;
    for (let i = 0; i < points; i++) {
      const radius = shape === "star" && i % 2 ? r * 0.45 : r;
      const angle = (Math.PI * 2 * i) / points - Math.PI / 2;
      ctx.lineTo(c + radius * Math.cos(angle), c + radius * Math.sin(angle));
    }
  } else {
    ctx.arc(c, c, shape === "ring" ? r * 0.75 : r * 0.85, 0, Math.PI * 2);
  }
  ctx.closePath();
}

function canvas() {
  const ratio = 2;
  const el = document.createElement("canvas");
  el.width = el.height = SIZE * ratio;
  const ctx = el.getContext("2d");
  ctx.scale(ratio, ratio);
  return [el, ctx, ratio];
}

export function eventIcon(color, shape, disputed) {
  const [el, ctx, ratio] = canvas();
  const c = SIZE / 2;
  if (disputed) {
    ctx.beginPath(); ctx.arc(c, c, c - 1, 0, Math.PI * 2);
    ctx.lineWidth = 2; ctx.strokeStyle = "#1b1f24"; ctx.stroke();
  }
  path(ctx, shape, c, disputed ? 7 : 8.5);
  if (shape === "ring") {
    ctx.fillStyle = "#fff"; ctx.fill(); ctx.lineWidth = 3; ctx.strokeStyle = color; ctx.stroke();
  } else {
    ctx.fillStyle = color; ctx.fill(); ctx.lineWidth = 1.5; ctx.strokeStyle = "#fff"; ctx.stroke();
  }
  return { image: ctx.getImageData(0, 0, el.width, el.height), options: { pixelRatio: ratio } };
}

// A cluster: a dark disc with the count in it (drawn here because the basemap has no glyphs).
export function clusterIcon(count) {
  const [el, ctx, ratio] = canvas();
  const c = SIZE / 2;
  ctx.beginPath(); ctx.arc(c, c, c - 1, 0, Math.PI * 2);
  ctx.fillStyle = "#1b1f24"; ctx.fill(); ctx.lineWidth = 2; ctx.strokeStyle = "#fff"; ctx.stroke();
  ctx.fillStyle = "#fff"; ctx.font = "bold 10px system-ui, sans-serif";
  ctx.textAlign = "center"; ctx.textBaseline = "middle";
  ctx.fillText(String(count), c, c + 0.5);
  return { image: ctx.getImageData(0, 0, el.width, el.height), options: { pixelRatio: ratio } };
}
