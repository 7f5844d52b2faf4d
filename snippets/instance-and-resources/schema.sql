-- Shipped with the code, read at start-up: Flask's open_resource / a path next to the module.
CREATE TABLE IF NOT EXISTS note (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    text TEXT NOT NULL
);
