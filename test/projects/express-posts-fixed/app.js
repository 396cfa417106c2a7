const express = require('express');
const helmet = require('helmet');
const requireAuth = require('./middleware/auth');
const postsRouter = require('./routes/posts');
const commentsRouter = require('./routes/comments');
const searchRouter = require('./routes/search');

const app = express();
app.use(helmet());
app.use(express.json({ limit: '100kb' }));
app.use('/posts', requireAuth, postsRouter);
app.use('/comments', requireAuth, commentsRouter);
app.use('/search', searchRouter);

app.listen(process.env.PORT || 3000);
