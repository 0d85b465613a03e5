// Progressive enhancement only: every page works without this script.  No page has inline
// scripts or handlers (the Content-Security-Policy allows only this site's script files).
// A long-running form (a count, a draw) shows its progress bar while the server works.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const bar = form.querySelector("progress");
  if (bar) { bar.hidden = false; const b = form.querySelector("button[type=submit]"); if (b) { b.disabled = true; b.textContent = form.dataset.progress || "Working…"; } }
});
// With htmx: show a refusal (a 4xx fragment with its reason) where the answer would have gone.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status >= 400 && event.detail.xhr.status < 500) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
// After a vote is acknowledged in place, the next submission from the same form is a new vote
// (a re-vote), so it needs a new idempotency key; a retried request keeps the old one.
document.addEventListener("htmx:afterRequest", (event) => {
  const key = event.target.querySelector && event.target.querySelector("input[name=idempotency_key]");
  if (key && event.detail.successful) { key.value = String(Date.now()) + String(Math.random()).slice(2); }
});
// A form with data-refresh="#live" asks that part of the page to refresh after it is answered.
document.addEventListener("htmx:afterRequest", (event) => {
  const target = event.target.dataset && event.target.dataset.refresh;
  if (target && window.htmx) { window.htmx.trigger(target, "refresh"); }
});
// "Go back" on an error page: the previous page if there is one (the link itself goes home).
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[data-back]");
  if (link && window.history.length > 1) { event.preventDefault(); window.history.back(); }
});
// A table with a filter box (shown only with this script): keep the rows holding every word.
document.querySelectorAll("input[data-filter]").forEach((box) => {
  const table = document.querySelector(box.dataset.filter);
  if (!table) { return; }
  box.closest(".filter").hidden = false;
  box.addEventListener("input", () => {
    const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    table.querySelectorAll("tbody tr").forEach((row) => {
      const text = row.textContent.toLowerCase();
      row.hidden = !words.every((w) => text.includes(w));
    });
  });
});
