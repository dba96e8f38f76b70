// The time window: two range inputs over the days with events, kept in step with the form's
// date fields, and a play button that slides the window forward a step at a time.
const DAY = 86400000;

export function dayIndex(first, iso) {
  return Math.round((Date.parse(iso) - Date.parse(first)) / DAY);
}

export function dayAt(first, index) {
  return new Date(Date.parse(first) + index * DAY).toISOString().slice(0, 10);
}

export class TimeWindow {
  constructor(form, onChange) {
    this.first = form.dataset.firstDay;
    this.last = form.dataset.lastDay;
    this.box = form.querySelector("#time-slider");
    this.since = form.querySelector("#f-since");
    this.until = form.querySelector("#f-until");
    this.start = form.querySelector("#t-start");
    this.end = form.querySelector("#t-end");
    this.label = form.querySelector("#t-label");
    this.play = form.querySelector("#play");
    this.onChange = onChange;
    this.timer = null;
    if (!this.first || !this.last || !this.box) return;
    const days = dayIndex(this.first, this.last);
    for (const input of [this.start, this.end]) input.max = String(days);
    this.start.value = String(this.since.value ? dayIndex(this.first, this.since.value) : 0);
    this.end.value = String(this.until.value ? dayIndex(this.first, this.until.value) : days);
    this.box.hidden = false;
    this.start.addEventListener("input", () => this.fromSlider("start"));
    this.end.addEventListener("input", () => this.fromSlider("end"));
    this.since.addEventListener("change", () => this.fromDates());
    this.until.addEventListener("change", () => this.fromDates());
    this.play.addEventListener("click", () => (this.timer ? this.stop() : this.run()));
    this.describe();
  }

  get range() {
    if (!this.box || this.box.hidden) return [this.since.value || null, this.until.value || null];
    const full = Number(this.start.value) === 0 && Number(this.end.value) === Number(this.end.max);
    return full && !this.since.value && !this.until.value
      ? [null, null]
      : [dayAt(this.first, Number(this.start.value)), dayAt(this.first, Number(this.end.value))];
  }

  fromSlider(moved) {
    let [a, b] = [Number(this.start.value), Number(this.end.value)];
    if (a > b) {
      if (moved === "start") b = a; else a = b;
      this.start.value = String(a); this.end.value = String(b);
    }
    this.since.value = dayAt(this.first, a);
    this.until.value = dayAt(this.first, b);
    this.changed();
  }

  fromDates() {
    if (this.since.value) this.start.value = String(dayIndex(this.first, this.since.value));
    if (this.until.value) this.end.value = String(dayIndex(this.first, this.until.value));
    this.changed();
  }

  changed() {
    this.describe();
    this.onChange(this.range);
  }

  describe() {
    const [a, b] = this.range;
    const text = a ? `${a} to ${b}` : `all dates (${this.first} to ${this.last})`;
    this.label.value = text;
    this.start.setAttribute("aria-valuetext", dayAt(this.first, Number(this.start.value)));
    this.end.setAttribute("aria-valuetext", dayAt(this.first, Number(this.end.value)));
  }

  run() {
    const total = Number(this.end.max);
    let width = Number(this.end.value) - Number(this.start.value);
    if (width >= total) width = Math.max(6, Math.round(total / 10));
    const step = Math.max(1, Math.round(total / 60));
    this.start.value = "0";
    this.end.value = String(width);
    this.play.setAttribute("aria-pressed", "true");
    this.play.textContent = "Pause";
    this.fromSlider("end");
    this.timer = setInterval(() => {
      const next = Number(this.end.value) + step;
      if (next > total) return this.stop();
      this.start.value = String(Number(this.start.value) + step);
      this.end.value = String(next);
      this.fromSlider("end");
    }, 700);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.play.setAttribute("aria-pressed", "false");
    this.play.textContent = "Play";
  }
}
