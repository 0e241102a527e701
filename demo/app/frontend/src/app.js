/* global document */
// The front end's only script: fetches the API's health and shows it.
const release = document.getElementById('release');
fetch('/api/health')
  .then((response) => response.json())
  .then((health) => (release.textContent += ` · API ${health.status}`))
  .catch(() => (release.textContent += ' · API unreachable'));
