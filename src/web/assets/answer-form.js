// Progressive enhancement of the answer form: each help item shows the fields of the type chosen, and the next
// item appears once the one before has a type, up to the form's last slot. Without JavaScript the first three items
// show every field, and the server keeps only the chosen type's fields. The files chosen are offered by name. What is
// typed is saved as a draft 30 s after a change, as the « Enregistrer le brouillon » button does without script.
(function () {
  var items = document.querySelectorAll('[data-help-item]');
  function update() {
    var previousChosen = true;
    for (var i = 0; i < items.length; i++) {
      var type = items[i].querySelector('[data-item-type] select');
      var chosen = type && type.value;
      items[i].hidden = !previousChosen && !chosen;
      var fields = items[i].querySelectorAll('[data-item-types]');
      for (var j = 0; j < fields.length; j++) {
        fields[j].hidden = !chosen || fields[j].getAttribute('data-item-types').split(' ').indexOf(chosen) === -1;
      }
      previousChosen = Boolean(chosen);
    }
  }
  // The files chosen are offered in the help items' file fields (the server matches the name, with or without extension).
  var upload = document.getElementById('f-answer-fichiers');
  var chosen = document.getElementById('fichiers-choisis');
  if (upload && chosen) {
    upload.addEventListener('change', function () {
      chosen.textContent = '';
      for (var f = 0; f < upload.files.length; f++) {
        var option = document.createElement('option');
        option.value = upload.files[f].name;
        chosen.appendChild(option);
      }
    });
  }
  for (var k = 0; k < items.length; k++) {
    var select = items[k].querySelector('[data-item-type] select');
    if (select) select.addEventListener('change', update);
  }
  update();
  // Leaving the page with an answer written and not sent loses it: the browser asks first. Sending the form (the answer,
  // or a template button, which brings the text back) is no leaving.
  var answer = document.getElementById('f-answer-body');
  if (answer && answer.form) {
    var form = answer.form;
    var sending = false;
    // Typed since the last draft saved (the page's text is the draft's when it just came from it): what leaving would lose.
    var unsaved = !form.hasAttribute('data-draft-current');
    var timer = null;
    var status = document.getElementById('brouillon-statut');
    // The draft's notice above the form, kept true: typed into, the form is no longer the draft as saved; saved again,
    // the notice says when (no longer announced itself: the status line says it).
    var notice = document.getElementById('brouillon');
    var noticeState = function (state) {
      var clause = notice && notice.querySelector('[data-draft-state="' + state + '"]');
      if (clause) clause.remove();
    };
    var noticeSaved = function (saved) {
      if (!notice) return;
      notice.removeAttribute('role');
      var when = document.getElementById('brouillon-date');
      // No draft left, or the notice said none was kept: hidden, the status line says what is.
      notice.hidden = !saved.savedAt || !when;
      if (notice.hidden) return;
      when.textContent = 'Brouillon enregistré le ' + saved.day + ' à ' + saved.time;
      noticeState('restored');
      noticeState('template');
    };
    form.addEventListener('submit', function () {
      sending = true;
      clearTimeout(timer);
      timer = null;
    });
    // Back to this page from the browser's cache: it is being written again.
    window.addEventListener('pageshow', function () { sending = false; });
    window.addEventListener('beforeunload', function (event) {
      if (sending || !unsaved || !answer.value.trim()) return;
      event.preventDefault();
      event.returnValue = '';
    });
    // Autosave: 30 s after the first change not saved, the form goes as « Enregistrer le brouillon » would send it,
    // without its files (never kept in a draft), and the answer is JSON; the page stays as it is.
    var saveDraft = function () {
      timer = null;
      if (sending) return;
      var data = new FormData(form);
      data.delete('fichiers');
      data.set('brouillon', '1');
      unsaved = false;
      fetch(form.getAttribute('action'), { method: 'POST', body: data, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (saved) {
          // This very form went as the answer (Back after sending): what was typed since is neither sent nor kept.
          if (saved.alreadySent) unsaved = true;
          else noticeSaved(saved);
          if (!status) return;
          if (saved.alreadySent) { status.textContent = 'Cette réponse est déjà envoyée depuis cette page : ce texte n’est pas gardé en brouillon. Rechargez la demande pour relire ce qui est parti.'; return; }
          if (!saved.savedAt) { status.textContent = 'Rien n’est écrit : aucun brouillon n’est gardé.'; return; }
          // The time as the server says it, on the request's clock (the browser's may be another time zone's).
          status.textContent = 'Brouillon enregistré à ' + saved.time;
        })
        .catch(function () {
          unsaved = true;
          if (status) status.textContent = 'Le brouillon n’a pas pu être enregistré : utilisez le bouton « Enregistrer le brouillon », ou envoyez la réponse.';
        });
    };
    var changed = function (event) {
      if (event.target && event.target.type === 'file') return;
      unsaved = true;
      noticeState('restored');
      if (!timer && !sending) timer = setTimeout(saveDraft, 30000);
    };
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
  }
})();
