// Progress for a signal delivery: the upload's bytes, then the rows processed. Without
// JavaScript the form posts as usual and the result page follows.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-progress-url]");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  const bar = document.getElementById("upload-progress");
  const label = document.getElementById("upload-progress-label");
  const box = document.getElementById("upload-progress-box");
  form.addEventListener("submit", (event) => {
    const file = form.querySelector("input[type=file]");
    if (!file || !file.files.length) return; // let the server say what is missing
    event.preventDefault();
    box.hidden = false;
    const request = new XMLHttpRequest();
    let polling = null;
    request.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      bar.max = e.total;
      bar.value = e.loaded;
      label.textContent = form.dataset.uploading.replace("%s", Math.round((100 * e.loaded) / e.total));
    });
    request.upload.addEventListener("load", () => {
      label.textContent = form.dataset.processing.replace("%s", "0").replace("%t", "…");
      polling = setInterval(async () => {
        try {
          const answer = await fetch(form.dataset.progressUrl, { credentials: "same-origin" });
          if (!answer.ok) return;
          const state = await answer.json();
          if (state.total) {
            bar.max = state.total;
            bar.value = state.done;
            label.textContent = form.dataset.processing.replace("%s", state.done).replace("%t", state.total);
          }
        } catch (e) { /* the next tick tries again */ }
      }, 700);
    });
    request.addEventListener("load", () => {
      clearInterval(polling);
      if (request.responseURL && request.responseURL !== window.location.href) {
        window.location.href = request.responseURL;
      } else {
        document.open(); document.write(request.responseText); document.close();
      }
    });
    request.addEventListener("error", () => {
      clearInterval(polling);
      label.textContent = form.dataset.failed;
    });
    request.open("POST", form.action || window.location.href);
    request.send(new FormData(form));
  });
});
