// The dashboard's only script: copy buttons and the evidence of a checked number on click.
// It never writes HTML (textContent and the hidden attribute only).
document.addEventListener("click", (event) => {
  const copy = event.target.closest("button.copy");
  if (copy) {
    const text = document.getElementById(copy.dataset.copy).innerText;
    const done = () => { copy.textContent = copy.dataset.done; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, done);
    } else {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
      done();
    }
    return;
  }
  const claim = event.target.closest("button.claim");
  if (claim) {
    const box = document.getElementById(claim.dataset.ev);
    if (box) { box.hidden = !box.hidden; }
  }
});
