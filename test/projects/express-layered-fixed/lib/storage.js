const fs = require('fs/promises');
const path = require('path');

const UPLOAD_DIR = path.join(__dirname, '..', 'uploads');

async function readUpload(name) {
  // ok: path-traversal
  return fs.readFile(path.join(UPLOAD_DIR, path.basename(name)));
}

module.exports = { readUpload };
