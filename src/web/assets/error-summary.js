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
  // The passage an error quotes (« [À compléter …] »), where it is in the text box: the one named, else the first left
  // that the box's pattern finds (answer-template.policy's PASSAGE_TO_COMPLETE, rendered on it by the server).
  function passageIn(box, message) {
    var named = /«\s*(\[[^\]\n]+\])\s*»/.exec(message);
    if (!named) return null;
    var at = box.value.indexOf(named[1]);
    if (at !== -1) return { start: at, end: at + named[1].length };
    if (!box.dataset.passagePattern) return null;
    var first = new RegExp(box.dataset.passagePattern, box.dataset.passageFlags).exec(box.value);
    return first && { start: first.index, end: first.index + first[0].length };
  }
  // Selected, the passage is shown in the box, in the middle (a selection set by script is not scrolled to): its place is
  // the height of the text before it, measured in a hidden copy of the box (same width, font and padding).
  function selectPassage(box, passage) {
    var copy = box.cloneNode(false);
    copy.removeAttribute('id');
    copy.style.position = 'absolute';
    copy.style.visibility = 'hidden';
    copy.style.width = box.offsetWidth + 'px';
    copy.style.height = '0';
    copy.value = box.value.slice(0, passage.start);
    box.parentNode.insertBefore(copy, box);
    var above = copy.scrollHeight;
    copy.remove();
    box.focus({ preventScroll: true });
    box.setSelectionRange(passage.start, passage.end);
    box.scrollTop = Math.max(0, above - box.clientHeight / 2);
    box.scrollIntoView({ block: 'nearest' });
  }
  summary.addEventListener('click', function (event) {
    var link = event.target.closest('a[href^="#"]');
    var target = link && document.getElementById(link.getAttribute('href').slice(1));
    if (!target) return;
    // A text box still holding a passage its error names: the passage is selected, to type over, not the caret left at
    // the start of a long text to arrow through (on a phone, line by line).
    var passage = target.tagName === 'TEXTAREA' && passageIn(target, link.textContent);
    if (passage) setTimeout(function () { selectPassage(target, passage); }, 0);
    // A link to a group of radios or boxes lands on its legend; the focus goes on to its chosen (or first) option,
    // as on a single field, so the keyboard can answer at once.
    if (target.tagName !== 'FIELDSET') return;
    var option = target.querySelector('input:checked') || target.querySelector('input, select, textarea');
    if (option) setTimeout(function () { option.focus({ preventScroll: true }); }, 0);
  });
})();
