// Progressive enhancement: the State-buyer question shows only for State buyers. Without
// JavaScript it stays visible with a hint saying who answers it.
(function () {
  var type = document.getElementById('f-buyer-organisationType');
  var block = document.getElementById('question-etat');
  if (!type || !block) return;
  var stateTypes = ['state_administration', 'state_public_body'];
  function update() { block.hidden = stateTypes.indexOf(type.value) === -1; }
  type.addEventListener('change', update);
  update();
})();
