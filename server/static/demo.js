"use strict";
// Example questions → ask the widget (if it has loaded).
document.querySelectorAll(".examples button[data-question]").forEach(function (btn) {
  btn.addEventListener("click", function () {
    if (window.PolicyAssistant) window.PolicyAssistant.ask(btn.getAttribute("data-question"));
  });
});
