import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreateUserDto } from './dto/create-user.dto';

@Injectable()
export class UsersService {
  constructor(private readonly dataSource: DataSource) {}

  async search(term: string, sort: string) {
    // ruleid: sql-injection
    return this.dataSource.query(`SELECT id, name FROM users WHERE name ILIKE '%${term}%' ORDER BY ${sort}`);
  }

  async findOne(id: number) {
    // ok: sql-injection
    return this.dataSource.query(`SELECT id, name FROM users WHERE id = ${id}`);
  }

  async create(dto: CreateUserDto) {
    // ruleid: sql-injection
    return this.dataSource.query(`INSERT INTO users (name, email) VALUES ('${dto.name}', '${dto.email}')`);
  }
}
