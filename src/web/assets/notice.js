// A page reached after an action says so once (« ?fait=… » in its address): the address loses that word, so that
// reloading the page or coming back to it does not announce the action again. The notice also takes the focus, so a
// keyboard or screen-reader user goes on from it rather than from the top of the page.
(function () {
  var url = new URL(window.location.href);
  if (!url.searchParams.has('fait')) return;
  url.searchParams.delete('fait');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  var notice = document.querySelector('[role="status"].fr-alert');
  if (!notice) return;
  notice.setAttribute('tabindex', '-1');
  notice.focus();
})();
