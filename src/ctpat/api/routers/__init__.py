"""The API's routers, one module per area; ``ctpat.api.routes`` mounts them."""
