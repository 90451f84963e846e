// Casework's enhancement: everything works without it. With it, each answer is saved as soon as it
// is chosen (through the JSON API, with the case's version and the session's CSRF token) and the
// ratings panel updates in place; an answer the service refuses goes back to what was saved, with
// the reason at the question; text typed and not yet saved (evidence notes, the report's narrative)
// asks before the page is left; the form's Save button still saves everything else.
import { initAll } from '/static/govuk/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
try { initAll(); } catch (e) { /* GOV.UK Frontend missing: the pages still work */ }

// Unsaved text: leaving the page asks first, unless the text is being submitted.
const watched = document.querySelectorAll('textarea[data-unsaved-warning], #case-form textarea');
let unsaved = false;
for (const area of watched) {
  area.addEventListener('input', () => { unsaved = true; });
  area.form?.addEventListener('submit', () => { unsaved = false; });
}
window.addEventListener('beforeunload', (event) => {
  if (unsaved) event.preventDefault();
});

const form = document.getElementById('case-form');
if (form && form.dataset.api) {
  const csrf = form.querySelector('input[name="csrf"]').value;
  const version = document.getElementById('case-version');
  const status = document.createElement('p');
  status.className = 'govuk-body-s cw-saving';
  status.setAttribute('role', 'status');
  status.id = 'save-status';
  form.prepend(status);

  // The answer each question has as saved, to go back to when a save is refused.
  const savedAnswer = new Map();
  for (const radio of form.querySelectorAll('input[type="radio"][data-question]:checked')) {
    savedAnswer.set(radio.dataset.question, radio.value);
  }

  const showPanel = (panel) => {
    document.getElementById('panel-score').textContent = `${panel.score} out of ${panel.max_score}`;
    const setTag = (el, tag) => {
      const strong = el.querySelector('strong');
      strong.className = `govuk-tag ${tag.class}`;
      strong.textContent = tag.label;
    };
    setTag(document.getElementById('panel-overall'), panel.overall);
    for (const s of panel.standards) {
      const el = document.getElementById(`panel-${s.code.replaceAll('.', '-')}`);
      if (el) {
        setTag(el, s.rating);
        const lowest = el.querySelector('.cw-lowest-percent');
        if (lowest && s.lowest !== null) lowest.textContent = String(s.lowest);
        const sureness = el.querySelector('.cw-sureness');
        if (sureness && s.sureness !== null) sureness.textContent = s.sureness;
        for (const k of s.key_questions || []) {
          const row = el.querySelector(`li[data-key-question="${CSS.escape(k.id)}"]`);
          if (!row) continue;
          row.classList.toggle('cw-driving', k.driving);
          row.querySelector('.cw-kq-percent').textContent = k.percent === null ? '–' : `${k.percent}%`;
        }
      }
    }
    const inProgress = document.getElementById('panel-in-progress');
    if (inProgress) {
      inProgress.hidden = panel.in_progress === 0;
      inProgress.textContent = panel.in_progress === 1
        ? 'Provisional: 1 case is still in progress and not counted yet.'
        : `Provisional: ${panel.in_progress} cases are still in progress and not counted yet.`;
    }
  };

  // The reason a save was refused, shown at its question (GOV.UK's error message), or cleared.
  const showError = (input, message) => {
    const fieldset = input.closest('fieldset');
    if (!fieldset) return;
    const id = `${input.name.replace(/[^A-Za-z0-9-]/g, '-')}-autosave-error`;
    let error = document.getElementById(id);
    if (!message) {
      error?.remove();
      fieldset.parentElement?.classList.remove('govuk-form-group--error');
      return;
    }
    if (!error) {
      error = document.createElement('p');
      error.id = id;
      error.className = 'govuk-error-message';
      fieldset.querySelector('legend')?.after(error);
    }
    error.textContent = `Error: not saved: ${message}`;
    fieldset.parentElement?.classList.add('govuk-form-group--error');
  };

  // The standard whose questions are in view is marked in the panel.
  const panelRows = new Map(
    [...document.querySelectorAll('#ratings-panel [data-standard]')].map((row) => [row.dataset.standard, row]),
  );
  if ('IntersectionObserver' in window && panelRows.size) {
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        for (const [code, row] of panelRows) row.classList.toggle('cw-current', code === entry.target.dataset.standard);
      }
    }, { rootMargin: '-40% 0px -55% 0px' });
    for (const section of form.querySelectorAll('.cw-section[data-standard]')) observer.observe(section);
  }

  form.addEventListener('change', async (event) => {
    const input = event.target;
    if (!input.matches('input[type="radio"][data-question]')) return;
    const question = input.dataset.question;
    status.textContent = 'Saving…';
    const response = await fetch(`${form.dataset.api}/answers/${encodeURIComponent(question)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ answer: input.value, version: Number(version.value) }),
      credentials: 'same-origin',
    }).catch(() => null);
    const body = response ? await response.json().catch(() => ({})) : {};
    if (response?.ok) {
      version.value = body.version;
      savedAnswer.set(question, input.value);
      showPanel(body.panel);
      showError(input, null);
      status.textContent = `Saved ${question}. Ratings updated.`;
      return;
    }
    // Refused: back to the answer as saved, and why, at the question.
    const reason = body.error || response?.statusText || 'the service could not be reached';
    for (const radio of form.querySelectorAll(`input[type="radio"][data-question="${CSS.escape(question)}"]`)) {
      radio.checked = radio.value === savedAnswer.get(question);
    }
    showError(input, reason);
    status.textContent = `Not saved: ${reason}. ${question} is back to what was saved.`;
  });
}
