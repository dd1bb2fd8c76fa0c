// The error summary of a refused form (components/error_summary.html): on a phone the
// field in trouble can be screens below where the page reloads, so focus goes to the
// summary, which says what is wrong; each link then moves focus to its field. Without
// JavaScript the summary is still at the top and its links still jump to the fields.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-bk-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    // A page that gives its inputs ids of its own: the first input with the field's name.
    const input =
      document.getElementById(decodeURIComponent(link.hash.slice(1))) ||
      (link.dataset.field &&
        document.querySelector(`[name="${CSS.escape(link.dataset.field)}"]`));
    if (!input) return;
    event.preventDefault();
    const details = input.closest("details");
    if (details) details.open = true;
    // Show the question with its input: the legend of a group of choices, or the label.
    const choice = input.type === "radio" || input.type === "checkbox";
    const fieldset = choice && input.closest("fieldset");
    const question =
      (fieldset && fieldset.querySelector("legend")) ||
      document.querySelector(`label[for="${CSS.escape(input.id)}"]`) ||
      input;
    question.scrollIntoView();
    input.focus({ preventScroll: true });
  });
});
