/** A free TCP port on 127.0.0.1, for the local servers tests start (moto's S3 server, sshd). */
import * as net from "node:net";

/** Resolves to a port nothing listens on right now (the OS picks it; the socket is closed again). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const port = (srv.address() as net.AddressInfo).port;
            srv.close(() => resolve(port));
        });
    });
}
