// Applies text size and contrast at once (no reload); the server-side form is the no-JS fallback
// and the cookie it reads is the same, so the choice is remembered across pages either way.
(function () {
  var root = document.documentElement;
  function remember(name, value) {
    document.cookie = name + "=" + value + ";path=/;max-age=31536000;SameSite=Lax";
  }
  document.querySelectorAll("[data-kc-text]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var size = button.getAttribute("data-kc-text");
      root.classList.remove("kc-text-small", "kc-text-normal", "kc-text-large");
      root.classList.add("kc-text-" + size);
      remember("kc_text", size);
      document.querySelectorAll("[data-kc-text]").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b === button));
      });
    });
  });
  document.querySelectorAll("[data-kc-contrast]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var on = !root.classList.contains("kc-contrast");
      root.classList.toggle("kc-contrast", on);
      remember("kc_contrast", on ? "high" : "normal");
      button.setAttribute("aria-pressed", String(on));
    });
  });
})();
