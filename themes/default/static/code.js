// Code blocks (loaded only on pages that have them): a copy button on each block. Hidden lines
// and highlighting need no script; the copy takes the whole example, hidden lines included.
(function () {
  "use strict";
  var guidebook = (window.guidebook = window.guidebook || {});

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // file:// and plain http: the clipboard API is not there, a selected textarea still copies.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      area.remove();
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  function addCopyButton(block) {
    if (block.querySelector(".code-copy")) return;
    var code = block.querySelector("code");
    if (!code) return;
    var label = block.dataset.copy || "Copy";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    button.textContent = label;
    button.addEventListener("click", function () {
      copyText(code.textContent.replace(/\n$/, "")).then(function () {
        button.textContent = block.dataset.copied || "Copied";
        setTimeout(function () { button.textContent = label; }, 1500);
      }, function () {});
    });
    block.appendChild(button);
  }

  guidebook.code = {
    init: function (root) {
      (root || document).querySelectorAll(".code-block[data-copy]").forEach(addCopyButton);
    },
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { guidebook.code.init(); });
  } else {
    guidebook.code.init();
  }
})();
