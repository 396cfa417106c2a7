-- pg_dump of notes
CREATE TABLE notes (id serial primary key, body text);
