// Casework's end-to-end browser test: a real Chromium, driven by playwright-core, against a
// running `casework serve` loaded with the fictional demo region.
//
// It signs in (after a wrong password), walks the inspections list, the region and PDU overviews,
// records an answer on a case with JavaScript (the ratings panel must follow, and agree with the
// API), saves markup as evidence through the form (it must come back as literal text), submits an
// invalid field (error summary), reads the case history and signs out; then signs in as the
// read-only viewer (published PDU visible, unpublished one a 404). As the lead: the case form in
// sections with its contents list and every key question in the panel, a stale narrative save
// that keeps the text, the factual-accuracy round, and a correction published as version 2 (its
// reason in the downloaded PDF). As the admin: the users pages, a user added with a password shown
// once, and the signed-in header on an error page. Quality assurance (issue 19), as a lead and
// a QA reviewer side by side: the QA sample drawn, two cases second-marked blind (their answers
// hidden from the reviewer), a disagreement reconciled with "no band changes", the cases locked
// and the locked-only ratings equal to the provisional ones. On every main page it runs
// axe-core (WCAG 2.0/2.1 A and AA plus best practice) and fails on serious or critical findings,
// and it saves full-page screenshots. One more context, without bypassing the service's CSP,
// checks that the pages' own script still runs under the real Content-Security-Policy.
//
// Environment:
//   BASE_URL            e.g. http://127.0.0.1:18080 (required)
//   INSPECTOR_PASSWORD  demo-inspector's password (required)
//   VIEWER_PASSWORD     demo-viewer's password (required)
//   LEAD_PASSWORD       demo-lead's password (required)
//   ADMIN_PASSWORD      demo-admin's password (required)
//   QA_PASSWORD         demo-qa's password (required)
//   SCREENSHOTS         directory for PNGs (default target/screenshots)
//   CHROMIUM            Chromium executable (default /usr/bin/chromium)
//
// Run: node tests/browser/e2e.mjs (from the repository root, after `npm ci`).
// Exits 0 when everything passed; otherwise prints what failed and exits 1.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const TIMEOUT = 15_000;

function env(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    console.error(`e2e: environment variable ${name} is required`);
    process.exit(2);
  }
  return value;
}

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const INSPECTOR_PASSWORD = env('INSPECTOR_PASSWORD');
const VIEWER_PASSWORD = env('VIEWER_PASSWORD');
const LEAD_PASSWORD = env('LEAD_PASSWORD');
const ADMIN_PASSWORD = env('ADMIN_PASSWORD');
const QA_PASSWORD = env('QA_PASSWORD');
const SCREENSHOTS = path.resolve(ROOT, env('SCREENSHOTS', path.join('target', 'screenshots')));
const CHROMIUM = env('CHROMIUM', '/usr/bin/chromium');

const REGION = 'northmarch';
const PDU = 'northmarch/ashvale';
const PUBLISHED_PDU = 'northmarch/corriemoor';
const IN_REVIEW = 'northmarch/brackenford';
const INSTRUMENT = 'sentence-management';
const MARKUP = '<script>alert(1)</script><b>x</b>';

const enc = encodeURIComponent;
const url = (p) => `${BASE_URL}${p}`;

class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

function step(message) {
  console.log(`e2e: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Accessibility and screenshots

const axeFindings = []; // serious or critical, one entry per rule per page
const axeMinor = []; // moderate or minor: reported, not failed on
const axedPages = [];

async function axe(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    }),
  );
  check(result.passes.length > 0, `axe ran no checks on ${name}`);
  axedPages.push(name);
  for (const v of result.violations) {
    const entry = {
      page: name,
      url: page.url(),
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    };
    if (v.impact === 'serious' || v.impact === 'critical') axeFindings.push(entry);
    else axeMinor.push(entry);
  }
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  step(
    `axe ${name}: ${result.passes.length} rules passed, ${result.violations.length} violated ` +
      `(${bad.length} serious or critical)${bad.map((v) => `; ${v.impact} ${v.id} at ${v.nodes[0]?.target}`).join('')}`,
  );
}

async function shot(page, name) {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

/// Both: the page's accessibility and its screenshot.
async function audit(page, name) {
  await axe(page, name);
  await shot(page, name);
}

// ---------------------------------------------------------------------------------------------
// Helpers

async function visit(page, p, expectedStatus = 200) {
  const response = await page.goto(url(p), { waitUntil: 'load' });
  check(response, `no response for ${p}`);
  check(
    response.status() === expectedStatus,
    `GET ${p}: expected HTTP ${expectedStatus}, got ${response.status()}`,
  );
  return response;
}

/// Clicks something that submits a form or follows a link, and returns the final response.
async function submit(page, selector) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click(selector),
  ]);
  return response;
}

async function api(page, p) {
  const result = await page.evaluate(async (p) => {
    const r = await fetch(p, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    return { status: r.status, body: await r.text() };
  }, `/api/v1${p}`);
  check(result.status === 200, `GET /api/v1${p}: HTTP ${result.status}: ${result.body.slice(0, 300)}`);
  return JSON.parse(result.body);
}

async function signIn(page, name, password) {
  await visit(page, '/sign-in');
  await page.fill('#name', name);
  await page.fill('#password', password);
  const response = await submit(page, '#sign-in');
  check(response.status() === 200, `signing in as ${name}: HTTP ${response.status()} at ${page.url()}`);
  check(new URL(page.url()).pathname === '/', `signing in as ${name} landed on ${page.url()}, not /`);
  const who = (await page.textContent('#signed-in-as'))?.trim();
  check(who === name, `header says signed in as '${who}', expected '${name}'`);
}

async function signOut(page) {
  await submit(page, 'form[action="/sign-out"] button');
  check(new URL(page.url()).pathname === '/sign-in', `signing out landed on ${page.url()}, not /sign-in`);
}

async function text(page, selector) {
  const t = await page.textContent(selector);
  check(t !== null, `'${selector}' not found on ${page.url()}`);
  return t.trim();
}

async function lowestPercent(page, code) {
  const selector = `#panel-${code.replaceAll('.', '-')} .cw-lowest-percent`;
  const t = await text(page, selector);
  const n = Number(t);
  check(Number.isFinite(n), `'${selector}' is '${t}', not a number`);
  return n;
}

/// The lowest key-question percentage of a standard, from a ratings API reply.
function apiLowest(ratings, code) {
  const standard = ratings.ratings.standards.find((s) => s.code === code);
  check(standard, `ratings API has no standard ${code}`);
  const driving = standard.key_questions.find((k) => k.driving);
  check(driving, `ratings API: standard ${code} has no driving key question`);
  return { id: driving.id, percent: driving.percent };
}

// ---------------------------------------------------------------------------------------------
// The flows

async function inspectorFlow(page, jsErrors) {
  // Sign-in page, then a wrong password.
  await visit(page, '/sign-in');
  await audit(page, 'sign-in');
  await page.fill('#name', 'demo-inspector');
  await page.fill('#password', 'not the password');
  await page.click('#sign-in');
  await page.waitForSelector('.govuk-error-summary', { timeout: TIMEOUT });
  check(new URL(page.url()).pathname === '/sign-in', `after a wrong password: at ${page.url()}`);
  check((await page.title()).startsWith('Error:'), 'the title of the failed sign-in does not start "Error:"');
  await audit(page, 'sign-in-error');
  step('wrong password shows the error summary');

  await signIn(page, 'demo-inspector', INSPECTOR_PASSWORD);
  await page.waitForSelector(`table#inspections tr[data-inspection="${PDU}"]`);
  await audit(page, 'inspections');
  step('signed in as demo-inspector; the list shows Ashvale');

  // Region overview.
  await visit(page, `/inspections/${enc(REGION)}`);
  for (const s of ['#units', '#progress', '#ratings-panel']) {
    check(await page.$(s), `region overview has no '${s}'`);
  }
  check(
    await page.$(`#units tr[data-unit="${PDU}"] a`),
    `region overview's #units has no link to ${PDU}`,
  );
  await audit(page, 'region-overview');

  // PDU overview, reached from the region's table.
  await submit(page, `#units tr[data-unit="${PDU}"] a`);
  check(
    new URL(page.url()).pathname === `/inspections/${enc(PDU)}`,
    `the Ashvale link went to ${page.url()}`,
  );
  const caseLinks = await page.$$eval(
    `table.cw-cases[data-instrument="${INSTRUMENT}"] tr[data-case]`,
    (rows) => rows.map((r) => ({ ref: r.dataset.case, href: r.querySelector('a')?.getAttribute('href') })),
  );
  check(caseLinks.length > 0, `PDU overview lists no ${INSTRUMENT} cases`);
  await audit(page, 'pdu-overview');
  step(`PDU overview lists ${caseLinks.length} ${INSTRUMENT} cases`);

  // Choose a case and a case-based standard whose driving key question this case answers Yes.
  const before = await api(page, `/inspections/${enc(PDU)}/ratings`);
  let chosen;
  for (const c of caseLinks) {
    const data = await api(page, `/inspections/${enc(PDU)}/cases/${INSTRUMENT}/${enc(c.ref)}`);
    for (const s of before.ratings.standards) {
      const driving = (s.key_questions ?? []).find((k) => k.driving);
      if (driving && driving.percent !== null && data.answers[driving.id] === 'Y') {
        chosen = { case: c, standard: s.code, question: driving.id, percent: driving.percent };
        break;
      }
    }
    if (chosen) break;
  }
  check(chosen, `no ${INSTRUMENT} case answers a standard's driving key question Yes`);
  step(
    `case ${chosen.case.ref}: ${chosen.standard}'s driving key question ${chosen.question} ` +
      `(${chosen.percent}%) is answered Yes`,
  );

  await submit(page, `table.cw-cases[data-instrument="${INSTRUMENT}"] tr[data-case="${chosen.case.ref}"] a`);
  check(
    new URL(page.url()).pathname === chosen.case.href,
    `the case link went to ${page.url()}, expected ${chosen.case.href}`,
  );
  await page.waitForSelector('#save-status', { state: 'attached' });
  await audit(page, 'case-form');
  const panelBefore = await lowestPercent(page, chosen.standard);
  check(
    panelBefore === chosen.percent,
    `panel shows ${panelBefore}% for ${chosen.standard}, the API ${chosen.percent}%`,
  );
  const versionBefore = Number(await page.inputValue('#case-version'));

  // Choose "No" for that question: saved at once, the panel follows.
  const dom = chosen.question.replaceAll('.', '-');
  const no = `input[type=radio][data-question="${chosen.question}"][value="N"]`;
  check(await page.$(no), `no "No" radio for ${chosen.question}`);
  const noId = await page.getAttribute(no, 'id');
  check(noId === `answer-${dom}-N`, `the "No" radio's id is ${noId}, expected answer-${dom}-N`);
  await page.click(`label[for="${noId}"]`);
  check(await page.isChecked(no), `clicking the label did not check ${noId}`);
  await page.waitForFunction(
    (q) => (document.getElementById('save-status')?.textContent ?? '').includes(`Saved ${q}`),
    chosen.question,
    { timeout: TIMEOUT },
  ).catch(async () => {
    throw new Failure(`#save-status never said "Saved ${chosen.question}": '${await text(page, '#save-status')}'`);
  });
  const status = await text(page, '#save-status');
  check(
    status === `Saved ${chosen.question}. Ratings updated.`,
    `#save-status says '${status}'`,
  );
  const panelAfter = await lowestPercent(page, chosen.standard);
  check(
    panelAfter < panelBefore,
    `${chosen.standard}'s lowest key question stayed at ${panelAfter}% (was ${panelBefore}%) after answering No`,
  );
  const after = apiLowest(await api(page, `/inspections/${enc(PDU)}/ratings`), chosen.standard);
  check(
    after.percent === panelAfter,
    `panel shows ${panelAfter}% for ${chosen.standard}, a fresh API read ${after.percent}% (${after.id})`,
  );
  const saved = await api(page, `/inspections/${enc(PDU)}/cases/${INSTRUMENT}/${enc(chosen.case.ref)}`);
  check(saved.answers[chosen.question] === 'N', `API says ${chosen.question} is '${saved.answers[chosen.question]}' after choosing No`);
  // A save the service refuses (here: based on a version long gone) puts the radio back to the
  // answer as saved and says why at the question.
  const liveVersion = await page.inputValue('#case-version');
  await page.evaluate(() => { document.getElementById('case-version').value = '1'; });
  const yes = `input[type=radio][data-question="${chosen.question}"][value="Y"]`;
  await page.click(`label[for="${await page.getAttribute(yes, 'id')}"]`);
  await page.waitForFunction(
    () => (document.getElementById('save-status')?.textContent ?? '').startsWith('Not saved'),
    null,
    { timeout: TIMEOUT },
  );
  check(await page.isChecked(no), `after a refused save, ${chosen.question} is not back to No`);
  check(
    (await page.$$('.govuk-error-message[id$="-autosave-error"]')).length === 1,
    'the refused save shows no error at its question',
  );
  await page.evaluate((v) => { document.getElementById('case-version').value = v; }, liveVersion);
  step('a refused autosave goes back to the saved answer and says why at the question');

  // Text typed into an evidence note and not saved: leaving the page asks first.
  const note = await page.$('#case-form textarea');
  check(note, 'the case form has no evidence textarea');
  await note.fill('typed, not saved');
  // The page's dialog handler (see main) dismisses it, so the page stays, and records it.
  const dialogsBefore = jsErrors.length;
  await page.evaluate(() => { window.location.reload(); });
  await page.waitForTimeout(500);
  const asked = jsErrors.slice(dialogsBefore);
  check(
    asked.length === 1 && asked[0].startsWith('a beforeunload dialog'),
    `leaving with an unsaved note: ${JSON.stringify(asked)}, expected one beforeunload dialog`,
  );
  jsErrors.splice(dialogsBefore); // expected here, not an error
  await note.fill('');
  step('leaving with an unsaved evidence note asks first');
  check(
    Number(await page.inputValue('#case-version')) === saved.version && saved.version > versionBefore,
    `#case-version is ${await page.inputValue('#case-version')}, API version ${saved.version} (before ${versionBefore})`,
  );
  step(`answering No saved at once: ${chosen.standard} lowest ${panelBefore}% -> ${panelAfter}% (API agrees)`);

  // Markup as evidence, saved through the form: it must come back as text.
  const evidence = `#evidence-${dom}`;
  check(await page.$(evidence), `no evidence textarea ${evidence}`);
  check(
    (await page.getAttribute(evidence, 'name')) === `evidence:${chosen.question}`,
    `${evidence} has name '${await page.getAttribute(evidence, 'name')}'`,
  );
  await page.fill(evidence, MARKUP);
  await page.fill('#reason', 'Browser test: evidence with markup');
  const saveResponse = await submit(page, '#save');
  check(saveResponse.status() === 200, `saving the form: HTTP ${saveResponse.status()} at ${page.url()}`);
  await page.waitForSelector('#saved-banner', { timeout: TIMEOUT });
  check(!(await page.$('.govuk-error-summary')), 'saving the form showed an error summary');
  const roundTrip = await page.inputValue(evidence);
  check(roundTrip === MARKUP, `evidence came back as '${roundTrip}', expected '${MARKUP}'`);
  const injected = await page.evaluate(() =>
    [...document.querySelectorAll('b')].filter((b) => b.textContent === 'x').length,
  );
  check(injected === 0, `the evidence markup became ${injected} <b>x</b> element(s) in the page`);
  check(await page.isChecked(no), `after the form save, ${chosen.question} is no longer "No"`);
  const afterForm = await api(page, `/inspections/${enc(PDU)}/cases/${INSTRUMENT}/${enc(chosen.case.ref)}`);
  check(
    afterForm.evidence?.[chosen.question] === MARKUP,
    `API evidence for ${chosen.question} is ${JSON.stringify(afterForm.evidence?.[chosen.question])}`,
  );
  check(afterForm.answers[chosen.question] === 'N', `the form save changed ${chosen.question} back`);
  await audit(page, 'case-form-saved');
  step('evidence markup saved and shown as literal text; banner shown');

  // An invalid field: 422 with an error summary linking to it.
  check(await page.$('#reset_weeks'), 'the case form has no #reset_weeks');
  await page.fill('#reset_weeks', 'abc');
  const invalid = await submit(page, '#save');
  check(invalid.status() === 422, `saving reset_weeks=abc: HTTP ${invalid.status()}, expected 422`);
  await page.waitForSelector('.govuk-error-summary', { timeout: TIMEOUT });
  check(
    await page.$('.govuk-error-summary a[href="#reset_weeks"]'),
    'the error summary has no link to #reset_weeks',
  );
  check(await page.$('#reset_weeks-error'), 'no error message by #reset_weeks');
  check((await page.inputValue('#reset_weeks')) === 'abc', 'the invalid value was not kept in #reset_weeks');
  check((await page.title()).startsWith('Error:'), 'the title of the page with errors does not start "Error:"');
  await audit(page, 'case-form-errors');
  await page.click('.govuk-error-summary a[href="#reset_weeks"]');
  const focused = await page.evaluate(() => document.activeElement?.id);
  check(focused === 'reset_weeks', `the error summary link focused '${focused}', not #reset_weeks`);
  step('invalid weeks: 422, error summary links to #reset_weeks');

  // History.
  await submit(page, '#history-link');
  check(new URL(page.url()).pathname.endsWith('/history'), `history link went to ${page.url()}`);
  const rows = await page.$$('table#history tbody tr');
  check(rows.length >= 2, `history shows ${rows.length} row(s), expected at least 2 after two saves`);
  const historyBold = await page.evaluate(() =>
    [...document.querySelectorAll('b')].filter((b) => b.textContent === 'x').length,
  );
  check(historyBold === 0, 'the evidence markup became an element on the history page');
  await audit(page, 'history');
  step(`history shows ${rows.length} rows`);

  // Ratings and report preview.
  await visit(page, `/inspections/${enc(PDU)}/ratings`);
  check(await page.$('table.key-questions'), 'the ratings page has no key-question tables');
  const ratingsPanel = await lowestPercent(page, chosen.standard);
  check(ratingsPanel === panelAfter, `ratings page shows ${ratingsPanel}% for ${chosen.standard}, expected ${panelAfter}%`);
  await audit(page, 'ratings');

  await visit(page, `/inspections/${enc(PDU)}/report`);
  check(await page.$('h1'), 'the report preview has no heading');
  await audit(page, 'report-preview');
  step('ratings page and report preview');

  // Writing the report: a foreword with a figure, previewed, saved, and seen in the downloaded PDF.
  await visit(page, `/inspections/${enc(PDU)}/report-text`);
  await audit(page, 'report-text');
  await visit(page, `/inspections/${enc(PDU)}/narrative/foreword.md`);
  await page.fill('#body', 'Browser foreword: the score was {{score-out-of}}.');
  await submit(page, 'button[value="preview"]');
  const previewText = await text(page, '#preview');
  check(/Browser foreword: the score was \d+\/\d+\./.test(previewText), `the preview shows '${previewText}'`);
  await audit(page, 'narrative');
  await submit(page, 'button[value="save"]');
  check(new URL(page.url()).pathname.endsWith('/report-text'), `saving the foreword went to ${page.url()}`);
  const pdf = await page.request.get(url(`/inspections/${enc(PDU)}/report.pdf`));
  check(pdf.status() === 200, `GET report.pdf: HTTP ${pdf.status()}`);
  const pdfFile = path.join(SCREENSHOTS, 'report.pdf');
  fs.writeFileSync(pdfFile, await pdf.body());
  try {
    const pdfText = execFileSync('pdftotext', [pdfFile, '-']).toString();
    check(pdfText.includes('Browser foreword: the score was'), 'the downloaded PDF lacks the foreword');
    step('foreword written with a figure, previewed, saved, and in the downloaded PDF');
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    console.log('SKIPPED the PDF text check: pdftotext (poppler-utils) is not installed');
  }

  // A page that does not exist.
  await visit(page, `/inspections/${enc('northmarch/no-such-pdu')}`, 404);
  check(await page.$('h1'), 'the 404 page has no heading');
  await axe(page, 'not-found-inspector');

  check(jsErrors.length === 0, `JavaScript errors in the page: ${jsErrors.join('; ')}`);

  await signOut(page);
  await visit(page, '/', 200);
  check(new URL(page.url()).pathname === '/sign-in', `after signing out, / shows ${page.url()}`);
  step('signed out; / now goes to sign-in');
}

async function leadFlow(page, jsErrors) {
  await signIn(page, 'demo-lead', LEAD_PASSWORD);
  step('signed in as demo-lead');

  // The case form: sections per standard with a contents list; every key question in the panel,
  // the standard in view marked there.
  await visit(page, `/inspections/${enc(PDU)}`);
  const firstCase = await page.getAttribute('table.cw-cases a', 'href');
  await visit(page, firstCase);
  check(await page.$('#contents a[href^="#standard-"]'), 'the case form has no contents list');
  check((await page.$$('.cw-section')).length >= 2, 'the case form is not in sections per standard');
  check(await page.$('#ratings-panel li[data-key-question]'), 'the panel lists no key questions');
  const sticky = await page.evaluate(() => getComputedStyle(document.querySelector('.cw-panel-column')).position);
  check(sticky === 'sticky', `the panel's column is position: ${sticky}, not sticky`);
  const lastSection = await page.$$eval('.cw-section[data-standard]', (els) => els.at(-1).dataset.standard);
  await page.click(`#contents a[href="#standard-${lastSection.replaceAll('.', '-')}"]`);
  await page.waitForSelector(`#ratings-panel [data-standard="${lastSection}"].cw-current`, { timeout: TIMEOUT });
  step(`case form in sections with contents; the panel marks ${lastSection} once it is in view`);

  // A stale narrative save: refused, the text kept on the page.
  const narrative = `/inspections/${enc(PDU)}/narrative/executive-summary.md`;
  const other = await page.context().newPage();
  await visit(other, narrative);
  await visit(page, narrative);
  await other.fill('#body', 'Saved first, from another tab.');
  await submit(other, 'button[value="save"]');
  await other.close();
  await page.fill('#body', 'My summary, typed while the other tab saved.');
  const stale = await submit(page, 'button[value="save"]');
  check(stale.status() === 409, `a stale narrative save: HTTP ${stale.status()}, expected 409`);
  check(
    (await page.inputValue('#body')).includes('My summary, typed while'),
    'the stale narrative save lost the text typed',
  );
  await audit(page, 'narrative-stale');
  step('a stale narrative save is refused with the text kept');

  // A judged rating changed with its rationale: the panel follows.
  await visit(page, `/inspections/${enc(PDU)}/report-text`);
  const judged = await page.$$eval('#judged-P1\\.1 input[name="rating"]', (inputs) =>
    inputs.map((i) => ({ id: i.id, checked: i.checked, label: document.querySelector(`label[for="${i.id}"]`).textContent.trim() })),
  );
  const target = judged.find((r) => !r.checked);
  check(target, 'no other rating to choose for P1.1');
  await page.check(`[id="${target.id}"]`);
  await page.fill('#rationale-P1\\.1', 'Changed in the browser test.');
  await submit(page, 'form[action$="/judged/P1.1"] button');
  await visit(page, `/inspections/${enc(PDU)}`);
  const shownRating = await text(page, '#panel-P1-1 strong');
  check(shownRating === target.label, `the panel shows P1.1 as '${shownRating}', expected '${target.label}'`);
  step(`judged rating P1.1 changed to ${target.label}; the panel follows`);

  // The factual-accuracy round on Ashvale.
  await visit(page, `/inspections/${enc(PDU)}/publication`);
  await audit(page, 'publication-draft');
  await submit(page, '#start-factual-accuracy');
  check((await text(page, '#stage')) === 'Factual accuracy check', 'the stage did not move to the check');
  await page.selectOption('#section', 'P2.1');
  await page.fill('#comment', 'The caseload figure is from March, not April.');
  await submit(page, '#record-comment');
  check((await page.content()).includes('The caseload figure is from March'), 'the comment is not listed');
  await audit(page, 'publication-comments');
  await page.fill('textarea[id^="resolution-"]', 'Corrected to March.');
  await submit(page, 'form[action*="/factual-accuracy/"] button');
  check((await page.content()).includes('Corrected to March.'), 'the resolution is not shown');
  await visit(page, `/inspections/${enc(PDU)}/publish`);
  await audit(page, 'publish-confirm');
  step('factual-accuracy comment recorded and resolved; the confirmation page shown');

  // A correction of the published Corriemoor, published as version 2 with its reason.
  await visit(page, `/inspections/${enc(PUBLISHED_PDU)}/publication`);
  await page.fill('#reason', 'The foreword thanked the wrong team.');
  await submit(page, '#reopen');
  check((await text(page, '#stage')) === 'Published, being corrected', 'not reopened for correction');
  await visit(page, `/inspections/${enc(PUBLISHED_PDU)}/publish`);
  await page.fill('#reason', 'The foreword now thanks the right team.');
  await audit(page, 'publish-correction');
  await submit(page, '#confirm-publish');
  check((await text(page, '#stage')) === 'Published', 'the correction was not published');
  check(await page.$('#version-2'), 'no version 2 listed');
  const pdf = await page.request.get(url(`/inspections/${enc(PUBLISHED_PDU)}/report.pdf`));
  check(pdf.status() === 200, `GET the published report.pdf: HTTP ${pdf.status()}`);
  const pdfFile = path.join(SCREENSHOTS, 'corrected.pdf');
  fs.writeFileSync(pdfFile, await pdf.body());
  try {
    const pdfText = execFileSync('pdftotext', [pdfFile, '-']).toString().replace(/\s+/g, ' ');
    check(
      pdfText.includes('(version 2): The foreword now thanks the right team.'),
      'the published PDF does not state the correction',
    );
    step('correction published as version 2; its reason is in the served PDF');
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    console.log('SKIPPED the PDF text check: pdftotext (poppler-utils) is not installed');
  }
  check(jsErrors.length === 0, `JavaScript errors in the page: ${jsErrors.join('; ')}`);
  await signOut(page);
}

async function adminFlow(page) {
  await signIn(page, 'demo-admin', ADMIN_PASSWORD);
  await submit(page, '#users-link');
  await audit(page, 'admin-users');
  await page.fill('#name', 'browser-user');
  await page.selectOption('#role', 'inspector');
  await submit(page, '#add-user');
  const password = await text(page, '#new-password');
  check(password.length >= 12, `the new password shown is '${password}'`);
  await audit(page, 'admin-password');
  await visit(page, '/admin/users/browser-user');
  await audit(page, 'admin-user');
  await visit(page, '/no-such-page', 404);
  check((await text(page, '#signed-in-as')) === 'demo-admin', 'the error page has no signed-in header');
  await audit(page, 'not-found-signed-in');
  step('admin added a user (password shown once); the 404 page keeps the signed-in header');
  await signOut(page);
}

/// Quality assurance, as a lead (`lead`) and a QA reviewer (`qa`) in two browser contexts.
async function qaFlow(lead, qa) {
  const qaPage = `/inspections/${enc(IN_REVIEW)}/qa`;
  await signIn(lead, 'demo-lead', LEAD_PASSWORD);
  await visit(lead, qaPage);
  await audit(lead, 'qa-before-draw');
  await lead.fill('#share', '10');
  await lead.fill('#seed', '2026');
  await submit(lead, '#draw-sample');
  const drawn = await lead.$$eval('#sample-cases tbody tr', (rows) => rows.length);
  check(drawn >= 2, `the QA sample has ${drawn} cases`);
  check((await text(lead, '#sample-info')).includes('2026'), 'the seed is shown with the sample');
  step(`the lead drew a QA sample of ${drawn} cases with seed 2026`);

  await signIn(qa, 'demo-qa', QA_PASSWORD);
  await visit(qa, qaPage);
  await audit(qa, 'qa-reviewer-queue');
  const marks = await qa.$$eval('a.cw-mark', (links) => links.map((a) => a.getAttribute('href')));
  check(marks.length >= 2, `the reviewer's queue has ${marks.length} cases to mark`);
  for (const [i, href] of marks.slice(0, 2).entries()) {
    const [, instrument, caseRef] = href.match(/\/qa\/mark\/([^/]+)\/([^/]+)$/);
    const casePath = `/inspections/${enc(IN_REVIEW)}/cases/${instrument}/${caseRef}`;
    // Blind: the reviewer cannot open the case itself yet.
    await visit(qa, casePath, 409);
    const original = await api(lead, casePath);
    await visit(qa, href);
    if (i === 0) await audit(qa, 'qa-blind-marking');
    const checkedAnswers = await qa.$$eval('input[type=radio]:checked', (r) => r.map((x) => x.value));
    check(checkedAnswers.every((v) => v === ''), 'the blind form shows a recorded answer');
    let flipped;
    for (const [question, answer] of Object.entries(original.answers)) {
      let mark = answer;
      if (i === 0 && !flipped && (answer === 'Y' || answer === 'N')) {
        mark = answer === 'Y' ? 'N' : 'Y';
        flipped = question;
      }
      await qa.check(`[id="q-${question.replaceAll('.', '-')}-${mark}"]`);
    }
    await submit(qa, '#record-marking');
    check(new URL(qa.url()).pathname === qaPage, `after marking: at ${qa.url()}`);
    await visit(qa, casePath);
    step(`the reviewer second-marked ${caseRef} blind${flipped ? `, disagreeing on ${flipped}` : ''}`);
    if (i === 0) check(flipped, `${caseRef} has no Yes or No answer to disagree with`);
  }

  await visit(lead, qaPage);
  const disagreements = await lead.$$('.cw-disagreement');
  check(disagreements.length >= 1, 'no disagreement listed');
  // Reconciled to the inspector's answer: nothing the report says can move.
  const first = '.cw-disagreement form';
  const inspectorsAnswer = (await text(lead, '.cw-disagreement .cw-original')) === 'Yes' ? 'Y' : 'N';
  await lead.check(`${first} input[value="${inspectorsAnswer}"]`);
  await lead.fill(`${first} textarea`, 'The plan was reviewed in time.');
  await submit(lead, `${first} button`);
  check((await text(lead, '.cw-reconciled')).includes('by demo-lead'), 'the reconciliation is shown');
  check((await text(lead, '#band-changes')).startsWith('No band changes'), 'band changes are not "none"');
  const table = await text(lead, '#agreement-table');
  for (const word of ["Cohen's kappa", "Gwet's AC1", 'Observed agreement', ' to ']) {
    check(table.includes(word), `the agreement table has no '${word}'`);
  }
  check(await lead.$('svg.cw-funnel'), 'no funnel plot');
  await audit(lead, 'qa-lead');
  step('the lead reconciled the disagreement; no band changes; agreement and funnels shown');

  await submit(lead, '#lock-cases');
  const tables = async () => lead.$$eval('table.key-questions', (ts) => ts.map((t) => t.outerHTML).join(''));
  await visit(lead, `/inspections/${enc(IN_REVIEW)}/ratings`);
  check((await lead.getAttribute('#ratings-basis', 'data-basis')) === 'provisional', 'ratings say provisional');
  const provisional = await tables();
  await submit(lead, '#basis-switch');
  check((await lead.getAttribute('#ratings-basis', 'data-basis')) === 'locked-only', 'ratings say locked only');
  await audit(lead, 'ratings-locked-only');
  check(provisional === (await tables()), 'the locked-only ratings differ from the provisional ones');
  step('cases locked; the locked-only ratings equal the provisional ones');
  await signOut(lead);
  await signOut(qa);
}

async function viewerFlow(page) {
  await signIn(page, 'demo-viewer', VIEWER_PASSWORD);
  step('signed in as demo-viewer');

  await visit(page, `/inspections/${enc(PUBLISHED_PDU)}`);
  check(await page.isVisible('h1'), 'published PDU overview has no visible heading');
  check(await page.isVisible('#ratings-panel'), 'published PDU overview has no visible ratings panel');
  // Viewers see a published inspection's findings, never its cases (personal data).
  check(!(await page.$('table.cw-cases')), 'a viewer is shown the published PDU\'s case lists');
  await audit(page, 'viewer-published-pdu');
  await visit(page, `/inspections/${enc(PUBLISHED_PDU)}/ratings`);
  check(await page.$('table.key-questions'), 'a viewer\'s ratings page has no key-question tables');
  const caseResponse = await page.goto(url(`/inspections/${enc(PUBLISHED_PDU)}/cases/${INSTRUMENT}/COR-SM-0001`));
  check(
    [403, 404].includes(caseResponse.status()),
    `a viewer opening a published case got HTTP ${caseResponse.status()}, expected 403 or 404`,
  );
  check(!(await page.$('#case-form')), 'a viewer is shown a case form');
  const caseApi = await page.evaluate(async (p) => (await fetch(p)).status, `/api/v1/inspections/${enc(PUBLISHED_PDU)}/cases/${INSTRUMENT}/COR-SM-0001`);
  check([403, 404].includes(caseApi), `a viewer reading a published case via the API got HTTP ${caseApi}`);
  step('published PDU overview and ratings visible; its cases are not');

  // The national picture (issue 18): every signed-in user sees the league table, a unit's
  // history and the distributions with their charts.
  await visit(page, '/national');
  const leagueRows = await page.$$('#league tbody tr');
  check(leagueRows.length >= 5, `the league table lists ${leagueRows.length} results, expected the demo's`);
  await audit(page, 'national-league');
  await page.selectOption('#programme', '2023');
  await page.selectOption('#kind', 'pdu');
  await submit(page, '#league-filters button');
  const pduRows = await page.$$('#league tbody tr');
  check(pduRows.length >= 3 && pduRows.length < leagueRows.length, `filtered to 2023 PDUs: ${pduRows.length} rows`);
  await submit(page, '#league tbody tr:first-child a');
  check(await page.$('#history'), 'a unit\'s page has no history table');
  await audit(page, 'national-unit');
  await visit(page, '/national/distributions/2023/pdu');
  check((await page.$$('svg[role=img]')).length >= 7, 'the distributions page has too few charts');
  await audit(page, 'national-distributions');
  const league = await api(page, '/national?programme=2023');
  check(league.rows.length >= 5, `the API's league table has ${league.rows.length} rows`);
  step('national picture: league table, filters, unit history, distributions, API');

  await visit(page, `/inspections/${enc(PDU)}`, 404);
  check(await page.isVisible('h1'), 'the 404 page has no heading');
  check(!(await page.$('#ratings-panel')), 'the 404 page shows a ratings panel');
  await audit(page, 'not-found');
  step('unpublished Ashvale is a 404 for the viewer');

  await visit(page, '/');
  await signOut(page);
}

/// Without bypassCSP: the page's own module script must run under the service's real CSP.
async function cspFlow(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  page.on('pageerror', (e) => violations.push(String(e)));
  await visit(page, '/sign-in');
  const js = await page.evaluate(() => document.body.classList.contains('js-enabled'));
  check(js, 'under the real CSP, /static/casework.js did not run (body has no js-enabled class)');
  check(violations.length === 0, `CSP violations or errors on /sign-in: ${violations.join('; ')}`);
  await context.close();
  step('pages run their script under the real CSP');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  check(fs.existsSync(AXE), `${AXE} is missing: run npm ci`);
  step(`testing ${BASE_URL} with ${CHROMIUM}; screenshots in ${SCREENSHOTS}`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  let page;
  try {
    await cspFlow(browser);

    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(TIMEOUT);
    page = await context.newPage();
    const jsErrors = [];
    page.on('pageerror', (e) => jsErrors.push(String(e)));
    page.on('dialog', async (d) => {
      jsErrors.push(`a ${d.type()} dialog opened: ${d.message()}`);
      await d.dismiss();
    });
    await inspectorFlow(page, jsErrors);
    await leadFlow(page, jsErrors);
    await adminFlow(page);
    await context.close();

    const leadContext = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const qaContext = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    leadContext.setDefaultTimeout(TIMEOUT);
    qaContext.setDefaultTimeout(TIMEOUT);
    page = await leadContext.newPage();
    await qaFlow(page, await qaContext.newPage());
    await leadContext.close();
    await qaContext.close();

    const viewerContext = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    viewerContext.setDefaultTimeout(TIMEOUT);
    page = await viewerContext.newPage();
    await viewerFlow(page);
    await viewerContext.close();
    page = undefined;
  } catch (e) {
    if (page && !page.isClosed()) {
      await shot(page, 'failure').catch(() => {});
      console.error(`e2e: failed at ${page.url()} (screenshot ${path.join(SCREENSHOTS, 'failure.png')})`);
    }
    throw e;
  } finally {
    await browser.close();
  }

  // Accessibility summary.
  console.log(`\ne2e: axe-core checked ${axedPages.length} pages: ${axedPages.join(', ')}`);
  if (axeMinor.length > 0) {
    console.log(`e2e: ${axeMinor.length} moderate/minor finding(s) (not failed on):`);
    for (const f of axeMinor) {
      console.log(`  [${f.impact}] ${f.page}: ${f.id}: ${f.help} (${f.nodes.length} node(s), e.g. ${f.nodes[0]?.target})`);
    }
  }
  if (axeFindings.length > 0) {
    console.error(`\ne2e: FAILED: ${axeFindings.length} serious or critical accessibility violation(s):`);
    for (const f of axeFindings) {
      console.error(`  [${f.impact}] ${f.page} (${f.url}): ${f.id}: ${f.help}\n    ${f.helpUrl}`);
      for (const n of f.nodes.slice(0, 5)) {
        console.error(`    - ${n.target}\n      ${n.summary.replaceAll('\n', '\n      ')}`);
      }
      if (f.nodes.length > 5) console.error(`    ... and ${f.nodes.length - 5} more`);
    }
    process.exit(1);
  }
  console.log('e2e: all checks passed; no serious or critical accessibility violations');
}

main().catch((e) => {
  if (e instanceof Failure) {
    console.error(`\ne2e: FAILED: ${e.message}`);
  } else {
    console.error('\ne2e: FAILED with an unexpected error:');
    console.error(e);
  }
  process.exit(1);
});
