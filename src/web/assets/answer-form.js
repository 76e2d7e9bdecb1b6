// Progressive enhancement of the answer form: each help item shows the fields of the type chosen, and the next
// item appears once the one before has a type, up to the form's last slot. Without JavaScript the first three items
// show every field, and the server keeps only the chosen type's fields. The files chosen are offered by name.
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
    var sending = false;
    answer.form.addEventListener('submit', function () { sending = true; });
    // Back to this page from the browser's cache: it is being written again.
    window.addEventListener('pageshow', function () { sending = false; });
    window.addEventListener('beforeunload', function (event) {
      if (sending || !answer.value.trim()) return;
      event.preventDefault();
      event.returnValue = '';
    });
  }
  // A template just taken into the answer (the page reloaded with it): its notice takes the focus, the answer follows it.
  var templateTaken = document.getElementById('modele-repris');
  if (templateTaken) {
    templateTaken.setAttribute('tabindex', '-1');
    templateTaken.focus();
  }
})();
