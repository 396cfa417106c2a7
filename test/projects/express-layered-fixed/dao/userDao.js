const pool = require('../db');

const UPDATABLE = new Set(['role', 'name']);

class UserDAO {
  async findByEmail(email) {
    // ok: sql-injection
    const { rows } = await pool.query('SELECT id, name, email FROM users WHERE email = $1', [email]);
    return rows[0];
  }

  async search(term, limit) {
    const sql = 'SELECT id, name FROM users WHERE name LIKE $1 LIMIT $2';
    // ok: sql-injection
    const { rows } = await pool.query(sql, [`%${term}%`, limit]);
    return rows;
  }

  async byId(id) {
    // ok: sql-injection
    const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0];
  }

  async updateRole(id, role) {
    return this.runUpdate('role', role, id);
  }

  async runUpdate(column, value, id) {
    if (!UPDATABLE.has(column)) throw new Error(`column ${column} cannot be updated`);
    // ok: sql-injection
    return pool.query(`UPDATE users SET ${column} = $1 WHERE id = $2`, [value, id]);
  }
}

module.exports = new UserDAO();
