// Progress of a background job (core.jobs): asks the status URL every second and updates
// the <progress>, the status line (aria-live, so it is read out: only when it says
// something new, at most every tenth) and, at the end, the result link or the reason.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-job-status-url]").forEach((box) => {
    const bar = box.querySelector("progress");
    const text = box.querySelector("[data-job-text]");
    const failure = box.querySelector("[data-job-failure]");
    const result = box.querySelector("[data-job-result]");
    let spoken = -1;
    const tick = async () => {
      let state;
      try {
        const answer = await fetch(box.dataset.jobStatusUrl, { credentials: "same-origin", cache: "no-store" });
        if (!answer.ok) return setTimeout(tick, 3000);
        state = await answer.json();
      } catch (e) {
        return setTimeout(tick, 3000); // the server restarts, the network hiccups: try again
      }
      bar.value = state.percent;
      bar.textContent = state.percent + "%";
      const finished = state.state === "done" || state.state === "failed";
      const tenth = Math.floor(state.percent / 10);
      if (finished || tenth !== spoken) {
        text.textContent = state.text;
        spoken = tenth;
      }
      if (state.state === "failed") {
        failure.querySelector("p").textContent = state.failure;
        failure.hidden = false;
      }
      if (state.state === "done") {
        if (box.dataset.reload) return window.location.reload();
        if (state.result_url) {
          result.querySelector("a").href = state.result_url;
          result.hidden = false;
        }
      }
      if (!finished) setTimeout(tick, 1000);
    };
    const state = box.querySelector("progress").value;
    if (!(box.querySelector("[data-job-failure]").hidden === false || state >= 100)) setTimeout(tick, 1000);
  });
});
