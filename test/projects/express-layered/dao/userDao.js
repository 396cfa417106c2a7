const pool = require('../db');

class UserDAO {
  async findByEmail(email) {
    // ruleid: sql-injection
    const { rows } = await pool.query(`SELECT id, name, email FROM users WHERE email = '${email}'`);
    return rows[0];
  }

  async search(term, limit) {
    const sql = "SELECT id, name FROM users WHERE name LIKE '%" + term + "%' LIMIT " + limit;
    // ruleid: sql-injection
    const { rows } = await pool.query(sql);
    return rows;
  }

  async byId(id) {
    // ok: sql-injection
    const { rows } = await pool.query(`SELECT * FROM users WHERE id = ${id}`);
    return rows[0];
  }

  async updateRole(id, role) {
    return this.runUpdate('role', role, id);
  }

  async runUpdate(column, value, id) {
    // ruleid: sql-injection
    return pool.query(`UPDATE users SET ${column} = '${value}' WHERE id = $1`, [id]);
  }
}

module.exports = new UserDAO();
