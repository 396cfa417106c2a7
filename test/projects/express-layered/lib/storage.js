const fs = require('fs/promises');
const path = require('path');

const UPLOAD_DIR = path.join(__dirname, '..', 'uploads');

async function readUpload(name) {
  // ruleid: path-traversal
  return fs.readFile(path.join(UPLOAD_DIR, name));
}

module.exports = { readUpload };
