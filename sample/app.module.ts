import { Module } from '@nestjs/common';
import { MathController } from './math.controller.js';
import { OperationsController } from './operations.controller.js';
import { TypesController } from './types.controller.js';

/**
 * The sample application: the math procedures, those showing arguments,
 * signatures and OUT parameters, and sleep_ms for trying timeouts and KILL.
 */
@Module({ controllers: [MathController, TypesController, OperationsController] })
export class AppModule {}
