import { Module } from '@nestjs/common';
import { MathController } from './math.controller.js';
import { TypesController } from './types.controller.js';

/** The sample application: the math procedures, and those showing arguments, signatures and OUT parameters. */
@Module({ controllers: [MathController, TypesController] })
export class AppModule {}
