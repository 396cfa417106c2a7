const express = require('express');
const helmet = require('helmet');
const rateLimit = require('express-rate-limit');
const notes = require('./routes/notes');

const app = express();
app.use(helmet());
app.use(express.json());
app.use(express.static('public'));
app.use('/login', rateLimit({ windowMs: 60_000, limit: 10 }));
app.use('/notes', notes);

app.listen(process.env.PORT || 3000);
