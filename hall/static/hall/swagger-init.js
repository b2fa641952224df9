"use strict";
// The API docs (Swagger UI) under the hall's Content-Security-Policy: the
// settings come from the page's JSON block, the CSRF token from the body.
//
// Deep links are off: with them on, Swagger UI puts a link (the path) inside
// each operation's toggle button, and a control inside a control is announced
// wrongly by screen readers and cannot be reached by keyboard.
(() => {
  const page = document.body.dataset;
  const config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.deepLinking = false;
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  if (page.apiCsrf && page.csrfToken) {
    config.requestInterceptor = (request) => {
      request.headers["X-CSRFToken"] = page.csrfToken;
      return request;
    };
  }
  window.ui = SwaggerUIBundle(config);
})();
