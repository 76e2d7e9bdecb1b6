// A form sent back with errors: its summary, wherever the form sits on the page, gets the focus, so the page
// opens on it and screen readers read it (role="alert" alone is not announced reliably at page load).
(function () {
  var summary = document.getElementById('resume-erreurs');
  if (summary) summary.focus();
})();
