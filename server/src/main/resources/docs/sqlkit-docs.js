// Starts Swagger UI on the server's own OpenAPI document. A separate file rather than an inline
// script, so that a Content-Security-Policy without 'unsafe-inline' can serve the page too.
window.ui = SwaggerUIBundle({
  url: '/openapi',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // The bearer token entered under "Authorize" survives a reload of the page (kept in this browser only).
  persistAuthorization: true,
  // No calls to swagger.io's validator: the page must work offline and send the document nowhere.
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout'
});
