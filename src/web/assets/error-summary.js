// A form sent back with errors: its summary, wherever the form sits on the page, gets the focus, so the page
// opens on it and screen readers read it (role="alert" alone is not announced reliably at page load). A page
// that refuses a request for another reason marks that notice to be focused the same way.
(function () {
  var summary = document.getElementById('resume-erreurs');
  var notice = summary || document.querySelector('[data-focus-on-load]');
  if (notice) {
    notice.focus();
    // Reached at a fragment (a button's `#titre-reponse`): once loaded, the browser moves the focus there; the notice takes it back.
    if (window.location.hash) window.addEventListener('load', function () { setTimeout(function () { notice.focus(); }, 0); });
  }
  if (!summary) return;
  // A link to a group of radios or boxes lands on its legend; the focus goes on to its chosen (or first) option,
  // as on a single field, so the keyboard can answer at once.
  summary.addEventListener('click', function (event) {
    var link = event.target.closest('a[href^="#"]');
    var group = link && document.getElementById(link.getAttribute('href').slice(1));
    if (!group || group.tagName !== 'FIELDSET') return;
    var option = group.querySelector('input:checked') || group.querySelector('input, select, textarea');
    if (option) setTimeout(function () { option.focus({ preventScroll: true }); }, 0);
  });
})();
