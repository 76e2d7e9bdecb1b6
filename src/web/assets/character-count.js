// Progressive enhancement of every text box with a limit (form-macros' textarea): the characters left, shown as typed.
// Screen readers hear it only near the limit (the last tenth) or past it, once typing pauses: each keystroke announced
// would drown what is typed, and far from the limit the label's « N caractères au plus » says enough. Nothing cuts the
// text: over the limit, the count says by how much, and the server refuses it whole, to shorten.
(function () {
  var boxes = document.querySelectorAll('textarea[data-max-length]');
  var format = new Intl.NumberFormat('fr-FR');
  function characters(n) {
    return format.format(n) + (n > 1 ? ' caractères' : ' caractère');
  }
  // Counted as the server does: line breaks as one character, the text trimmed, accents composed.
  function length(box) {
    return box.value.replace(/\r\n?/g, '\n').trim().normalize('NFC').length;
  }
  function message(box, max) {
    var left = max - length(box);
    if (left >= 0)
      return { over: false, near: left <= max / 10, text: 'Il vous reste ' + characters(left) + ' sur ' + format.format(max) + '.' };
    return {
      over: true,
      near: true,
      text: characters(-left) + ' de trop : raccourcissez le texte à ' + format.format(max) + ' caractères au plus.',
    };
  }
  Array.prototype.forEach.call(boxes, function (box) {
    var max = Number(box.getAttribute('data-max-length'));
    var shown = document.getElementById(box.id + '-count');
    var live = document.getElementById(box.id + '-count-live');
    if (!max || !shown || !live) return;
    var timer = null;
    // The page's own descriptions (an error) kept; the count added only near or past the limit, so that a screen reader
    // entering a box already there hears it, and one far from it is not told the label's limit again.
    var described = (box.getAttribute('aria-describedby') || '').split(/\s+/).filter(function (id) {
      return id && id !== shown.id;
    });
    function show() {
      var current = message(box, max);
      shown.textContent = current.text;
      shown.className = 'fr-message ' + (current.over ? 'fr-message--error' : 'fr-message--info');
      shown.hidden = false;
      var ids = current.near ? described.concat(shown.id) : described;
      if (ids.length) box.setAttribute('aria-describedby', ids.join(' '));
      else box.removeAttribute('aria-describedby');
      return current;
    }
    box.addEventListener('input', function () {
      var current = show();
      clearTimeout(timer);
      timer = setTimeout(function () {
        // Back far from the limit: emptied silently, so that coming near it again is said again.
        var said = current.near ? current.text : '';
        if (live.textContent !== said) live.textContent = said;
      }, 1000);
    });
    show();
  });
})();
