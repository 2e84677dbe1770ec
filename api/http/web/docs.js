// Starts Swagger UI on /docs (kept out of the page so that no inline script is needed).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
