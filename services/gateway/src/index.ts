export { startGateway, type GatewayService } from "./service";
export { createApp } from "./app";
export { configSchema, type GatewayConfig } from "./config";
