// A page reached after an action says so once (« ?fait=… » in its address): the address loses that word, so that
// reloading the page or coming back to it does not announce the action again.
(function () {
  var url = new URL(window.location.href);
  if (!url.searchParams.has('fait')) return;
  url.searchParams.delete('fait');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
})();
