import { Module } from '@nestjs/common';
import { MathController } from './math.controller.js';

/** The sample application: one controller of procedures. */
@Module({ controllers: [MathController] })
export class AppModule {}
