import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreateUserDto } from './dto/create-user.dto';

const SORTABLE = ['name', 'created_at'];

@Injectable()
export class UsersService {
  constructor(private readonly dataSource: DataSource) {}

  async search(term: string, sort: string) {
    const column = SORTABLE.includes(sort) ? sort : 'name';
    // ok: sql-injection
    return this.dataSource.query(`SELECT id, name FROM users WHERE name ILIKE $1 ORDER BY ${column}`, [`%${term}%`]);
  }

  async findOne(id: number) {
    // ok: sql-injection
    return this.dataSource.query('SELECT id, name FROM users WHERE id = $1', [id]);
  }

  async create(dto: CreateUserDto) {
    // ok: sql-injection
    return this.dataSource.query('INSERT INTO users (name, email) VALUES ($1, $2)', [dto.name, dto.email]);
  }
}
