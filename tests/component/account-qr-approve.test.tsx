import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import type { QrTicketResponse } from '@/contract/auth'
import { QrApprove } from '@/features/account/components/qr-approve'
import { approveQrTicket, cancelQrTicket, qrTicket } from '@/services/auth'
import { ApiError } from '@/services/http'
import { aMember, mountPage, signedInAs, tap } from './render'

jest.mock('@/services/auth')
const mockedTicket = jest.mocked(qrTicket)
const mockedApprove = jest.mocked(approveQrTicket)
const mockedCancel = jest.mocked(cancelQrTicket)

const TICKET = 'AbCdEfGhIjKlMnOpQrStUv_-12'
const member = aMember({ name: '张伟', memberNo: 'M0001' })

function ticketState(overrides: Partial<QrTicketResponse> = {}): QrTicketResponse {
  return {
    status: 'pending',
    // 2026-07-01 10:05 in Shanghai, whatever the device zone.
    createdAt: '2026-07-01T02:05:00.000Z',
    expiresAt: '2026-07-01T02:07:00.000Z',
    browser: 'Chrome 126 · Windows',
    ...overrides,
  }
}

let navigateBack: jest.SpyInstance

beforeEach(() => {
  jest.resetAllMocks()
  signedInAs(member)
  navigateBack = jest.spyOn(Taro, 'navigateBack').mockResolvedValue({ errMsg: 'navigateBack:ok' })
})

afterEach(() => {
  navigateBack.mockRestore()
})

test('shows which browser asks and when, and approves on 确认登录', async () => {
  mockedTicket.mockResolvedValue(ticketState())
  mockedApprove.mockResolvedValue('approved')
  const { container } = await mountPage(<QrApprove ticket={TICKET} member={member} />)

  expect(await screen.findByText('网页版登录确认')).toBeTruthy()
  expect(mockedTicket).toHaveBeenCalledWith(TICKET)
  expect(screen.getByText('Chrome 126 · Windows')).toBeTruthy()
  expect(screen.getByText('2026年7月1日 10:05')).toBeTruthy()
  expect(screen.getByText(/张伟（M0001）/)).toBeTruthy()
  expect(mockedApprove).not.toHaveBeenCalled()

  await tap(container, '.qr-approve-confirm')

  expect(mockedApprove).toHaveBeenCalledWith(TICKET)
  expect(await screen.findByText('已确认登录')).toBeTruthy()
  // Approved: the ticket is not read again here (that read would hand out the web token).
  expect(mockedTicket).toHaveBeenCalledTimes(1)
  await tap(container, '.qr-approve-back')
  expect(navigateBack).toHaveBeenCalled()
})

test('取消 declines the ticket', async () => {
  mockedTicket.mockResolvedValue(ticketState())
  mockedCancel.mockResolvedValue('expired')
  const { container } = await mountPage(<QrApprove ticket={TICKET} member={member} />)
  await screen.findByText('网页版登录确认')

  await tap(container, '.qr-approve-cancel')

  expect(mockedCancel).toHaveBeenCalledWith(TICKET)
  expect(mockedApprove).not.toHaveBeenCalled()
  expect(await screen.findByText('已取消登录')).toBeTruthy()
})

test('an expired or used QR says so and offers no confirmation', async () => {
  mockedTicket.mockResolvedValueOnce(ticketState({ status: 'expired' }))
  const first = await mountPage(<QrApprove ticket={TICKET} member={member} />)
  expect(await screen.findByText('二维码已过期，请在电脑上刷新二维码后重新扫码')).toBeTruthy()
  expect(first.container.querySelector('.qr-approve-confirm')).toBeNull()
  first.unmount()

  mockedTicket.mockResolvedValueOnce(ticketState({ status: 'used' }))
  const second = await mountPage(<QrApprove ticket={TICKET} member={member} />)
  expect(await screen.findByText('该二维码已被使用，请在电脑上刷新二维码后重新扫码')).toBeTruthy()
  expect(second.container.querySelector('.qr-approve-confirm')).toBeNull()
})

test('a ticket that expires while the member reads gets the server message', async () => {
  mockedTicket.mockResolvedValue(ticketState())
  mockedApprove.mockRejectedValue(
    new ApiError('QR_TICKET_EXPIRED', '二维码已过期，请刷新网页后重新扫码', 409),
  )
  const { container } = await mountPage(<QrApprove ticket={TICKET} member={member} />)
  await screen.findByText('网页版登录确认')

  await tap(container, '.qr-approve-confirm')

  expect(await screen.findByText('二维码已过期，请刷新网页后重新扫码')).toBeTruthy()
  expect(screen.getByText('无法登录')).toBeTruthy()
  await waitFor(() => expect(container.querySelector('.qr-approve-confirm')).toBeNull())
})

test('a QR already used by someone else is refused with a clear message', async () => {
  mockedTicket.mockResolvedValue(ticketState())
  mockedApprove.mockRejectedValue(
    new ApiError('QR_TICKET_USED', '该二维码已被使用，请刷新网页后重新扫码', 409),
  )
  const { container } = await mountPage(<QrApprove ticket={TICKET} member={member} />)
  await screen.findByText('网页版登录确认')
  await tap(container, '.qr-approve-confirm')
  expect(await screen.findByText('该二维码已被使用，请刷新网页后重新扫码')).toBeTruthy()
})
