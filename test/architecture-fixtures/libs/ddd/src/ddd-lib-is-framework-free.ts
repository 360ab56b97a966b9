import { Injectable } from '@nestjs/common';

export const decorated = Injectable;
