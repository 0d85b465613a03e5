// Progressive enhancement only: every page works without this script.
// A long-running form (a count, a draw) shows its progress bar while the server works.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const bar = form.querySelector("progress");
  if (bar) { bar.hidden = false; const b = form.querySelector("button[type=submit]"); if (b) { b.disabled = true; b.textContent = form.dataset.progress || "Working…"; } }
});
