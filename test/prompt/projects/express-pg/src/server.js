const express = require('express');
const cors = require('cors');
const notes = require('./routes/notes');
const auth = require('./routes/auth');

const app = express();
app.use(cors({ origin: process.env.WEB_ORIGIN, credentials: true }));
app.use(express.json({ limit: '100kb' }));
app.use('/auth', auth);
app.use('/notes', notes);

app.listen(process.env.PORT || 3000);
