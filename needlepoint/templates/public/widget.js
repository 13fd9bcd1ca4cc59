{% autoescape off %}(function () {
  var script = document.currentScript;
  var link = document.createElement("a");
  link.href = {{ url_json }};
  link.target = "_blank";
  link.rel = "noopener";
  link.textContent = script.getAttribute("data-label") || {{ label_json }};
  link.style.cssText = "display:inline-block;padding:.7em 1.2em;border-radius:8px;background:#7a2e52;color:#fff;font:600 1rem system-ui,sans-serif;text-decoration:none";
  script.parentNode.insertBefore(link, script);
})();
{% endautoescape %}
