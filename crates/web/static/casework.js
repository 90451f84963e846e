// Casework's enhancement: everything works without it. With it, each answer is saved as soon as it
// is chosen (through the JSON API, with the case's version and the session's CSRF token) and the
// ratings panel updates in place; the form's Save button still saves everything else.
import { initAll } from '/static/govuk/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
try { initAll(); } catch (e) { /* GOV.UK Frontend missing: the pages still work */ }

const form = document.getElementById('case-form');
if (form && form.dataset.api) {
  const csrf = form.querySelector('input[name="csrf"]').value;
  const version = document.getElementById('case-version');
  const status = document.createElement('p');
  status.className = 'govuk-body-s cw-saving';
  status.setAttribute('role', 'status');
  status.id = 'save-status';
  form.prepend(status);

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
      }
    }
  };

  form.addEventListener('change', async (event) => {
    const input = event.target;
    if (!input.matches('input[type="radio"][data-question]')) return;
    status.textContent = 'Saving…';
    const response = await fetch(`${form.dataset.api}/answers/${encodeURIComponent(input.dataset.question)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ answer: input.value, version: Number(version.value) }),
      credentials: 'same-origin',
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      version.value = body.version;
      showPanel(body.panel);
      status.textContent = `Saved ${input.dataset.question}. Ratings updated.`;
    } else {
      status.textContent = `Not saved: ${body.error || response.statusText}. Save the form to see why.`;
    }
  });
}
