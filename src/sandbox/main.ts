// Placeholder entry until the sandbox lands: prints why and exits non-zero.
console.error('The sandbox is not built yet.');
process.exit(1);
