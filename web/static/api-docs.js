// Starts Swagger UI on /schema (a static script, so the page needs no inline script).
window.addEventListener("load", function () {
  window.SwaggerUIBundle({
    url: "/schema/openapi.json",
    dom_id: "#api",
    deepLinking: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
