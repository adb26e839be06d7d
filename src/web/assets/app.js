// Progressive enhancement for the Wicket dashboard. Every page works without this file; it adds
// confirmations, copy buttons, live password rules and the live inbox (SSE).
'use strict';

document.addEventListener('submit', (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
  if (question && !window.confirm(question)) event.preventDefault();
});

// Copy buttons: <button data-copy="#id"> copies the text of the element it names.
function setUpCopyButtons(root) {
  for (const button of root.querySelectorAll('button[data-copy]')) {
    if (button.dataset.ready) continue;
    button.dataset.ready = '1';
    button.type = 'button';
    button.hidden = false;
    button.addEventListener('click', async () => {
      const source = document.querySelector(button.dataset.copy);
      const text = source ? (source.value ?? source.textContent ?? '') : '';
      try {
        await navigator.clipboard.writeText(text.trim());
        button.textContent = 'Copied';
      } catch {
        if (source && source.select) source.select();
        button.textContent = 'Press Ctrl+C';
      }
      setTimeout(() => (button.textContent = 'Copy'), 2000);
    });
  }
}

// Live password rules: an input with data-password-rules="app" (agent account app passwords)
// or "team" (dashboard passwords) and a list [data-rules-for=<input id>] of <li data-rule=…>.
const RULES = {
  length_app: (v) => v.length >= 18 && v.length <= 40,
  printable: (v) => /^[!-~]*$/.test(v),
  upper: (v) => /[A-Z]/.test(v),
  lower: (v) => /[a-z]/.test(v),
  digit: (v) => /[0-9]/.test(v),
  length_team: (v) => v.length >= 12 && v.length <= 128,
};
function setUpPasswordRules(root) {
  for (const list of root.querySelectorAll('[data-rules-for]')) {
    const input = document.getElementById(list.dataset.rulesFor);
    if (!input) continue;
    const update = () => {
      for (const item of list.querySelectorAll('li[data-rule]')) {
        const rule = RULES[item.dataset.rule];
        if (!rule) continue;
        const met = input.value !== '' && rule(input.value);
        item.classList.toggle('met', met);
        item.classList.toggle('unmet', input.value !== '' && !met);
      }
    };
    input.addEventListener('input', update);
    update();
  }
}

// Live lists: an element with data-live="<SSE url>" reloads its content from data-live-refresh
// (a URL returning the fragment's HTML) whenever the stream says something changed.
function setUpLive(root) {
  for (const region of root.querySelectorAll('[data-live]')) {
    if (!window.EventSource || region.dataset.ready) continue;
    region.dataset.ready = '1';
    const source = new EventSource(region.dataset.live);
    let pending = false;
    const refresh = async () => {
      if (pending) return;
      pending = true;
      try {
        const response = await fetch(region.dataset.liveRefresh, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
        if (response.ok) {
          region.innerHTML = await response.text();
          labelCells(region);
          setUpCopyButtons(region);
        }
      } finally {
        pending = false;
      }
    };
    source.addEventListener('change', refresh);
  }
}

// On a phone-width screen the tables collapse into stacked cells (style.css); each cell gets
// its column's header as a label so "set" or "Default" still says what it is.
function labelCells(root) {
  for (const table of root.querySelectorAll('table.list')) {
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll('tbody tr')) {
      [...row.children].forEach((cell, i) => {
        if (headers[i] && !cell.dataset.label) cell.dataset.label = headers[i];
      });
    }
  }
}

document.addEventListener('DOMContentLoaded', () => {
  labelCells(document);
  setUpCopyButtons(document);
  setUpPasswordRules(document);
  setUpLive(document);
});
