// Placeholder entry until the query panel lands.
export {};
